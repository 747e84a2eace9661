import { encodeDeployData, parseEther, zeroHash, type Address, type PrivateKeyAccount } from 'viem';
import { agentAccountAbi } from '../abi/generated/agentAccount.js';
import { agentNftAbi } from '../abi/generated/agentNft.js';
import { erc6551RegistryAbi } from '../abi/generated/erc6551Registry.js';
import { yieldVaultAbi, yieldVaultBytecode } from '../abi/generated/yieldVault.js';
import { confirmTransaction } from '../confirmTransaction.js';
import { agentSessionPolicy, type SessionPolicy } from '../wallet/agentSessionPolicy.js';
import { sessionValidAfter } from '../wallet/sessionValidAfter.js';
import { deployCreate2 } from './deployCreate2.js';
import type { DeployClients } from './deployContracts.js';
import type { Deployment } from './deployment.js';
import { saltFor } from './saltFor.js';

/** Parameters of {@link bootstrapAgent}. */
export type BootstrapAgentParameters = {
  /** Shared contracts, from deployContracts. */
  deployment: Deployment;
  /** The agent's session key (generated and kept under `.y2c/keys/`). */
  sessionKey: PrivateKeyAccount;
  /** Seconds a stake stays locked. */
  lockPeriodSeconds: bigint;
  /** USDx (6 decimals) the session key may approve per day. */
  dailyTokenBudget: bigint;
  /** Seconds the session stays valid from now. */
  sessionLifetimeSeconds: number;
  /** Providers the session key may open channels with (argument rule on `open`). */
  trustedProviders: readonly Address[];
  /** ERC-8004 registries the session may publish the registration file to and rate providers in. */
  erc8004?: { identityRegistry: Address; reputationRegistry: Address };
  /**
   * x402 buying (issue 14): the escrow the session key may `deposit` into and the sellers (receivers)
   * it may fund; absent, the policy has no x402 scope.
   */
  x402?: { escrow: Address; trustedSellers: readonly Address[] };
  /** Reports progress. */
  onStep?: (step: string) => void;
  /** Grants the policy instead of the owner's direct `grantSession` (a self-owned agent's timelock does). */
  grantSession?: (policy: SessionPolicy) => Promise<void>;
};

/**
 * Brings the agent to life on a chain where the shared contracts exist: mints its NFT to the owner
 * (the wallet client's account), creates its token-bound account through the ERC-6551 registry,
 * deploys its yield vault with the TBA as beneficiary, funds the TBA with a little ETH for gas and
 * grants the session key the agent's policy. Every step checks the chain first, so a second run
 * changes nothing.
 *
 * @param clients Public client, and the owner's wallet client.
 * @param parameters Deployment, session key and settings.
 * @returns The deployment with its `agent` filled in.
 */
export async function bootstrapAgent(clients: DeployClients, parameters: BootstrapAgentParameters): Promise<Deployment> {
  const { publicClient, walletClient } = clients;
  const { deployment, sessionKey, onStep = () => {} } = parameters;
  const owner = walletClient.account.address;
  const send = async (request: Promise<`0x${string}`>) => confirmTransaction(publicClient, await request, 'A bootstrap transaction');

  let tokenId = deployment.agent ? BigInt(deployment.agent.tokenId) : undefined;
  if (tokenId === undefined) {
    onStep('minting the agent NFT');
    const { result, request } = await publicClient.simulateContract({
      account: walletClient.account,
      address: deployment.agentNft,
      abi: agentNftAbi,
      functionName: 'mint',
      args: [owner],
    });
    await send(walletClient.writeContract(request));
    tokenId = result;
  }

  const accountArgs = [deployment.accountImplementation, zeroHash, BigInt(deployment.chainId), deployment.agentNft, tokenId] as const;
  const tba = await publicClient.readContract({
    address: deployment.erc6551Registry,
    abi: erc6551RegistryAbi,
    functionName: 'account',
    args: accountArgs,
  });
  const tbaCode = await publicClient.getCode({ address: tba });
  if (!tbaCode || tbaCode === '0x') {
    onStep('creating the token-bound account');
    await send(
      walletClient.writeContract({
        address: deployment.erc6551Registry,
        abi: erc6551RegistryAbi,
        functionName: 'createAccount',
        args: accountArgs,
      }),
    );
  }

  const vault = await deployCreate2(clients, {
    name: 'YieldVault',
    salt: saltFor(`YieldVault/${tba}`),
    initCode: encodeDeployData({
      abi: yieldVaultAbi,
      bytecode: yieldVaultBytecode,
      args: [deployment.usdx, deployment.susdx, tba, parameters.lockPeriodSeconds],
    }),
  });
  if (vault.deployed) onStep('deployed the yield vault');

  if ((await publicClient.getBalance({ address: tba })) < parseEther('0.5')) {
    onStep('funding the account with 1 ETH for gas');
    await send(walletClient.sendTransaction({ to: tba, value: parseEther('1') }));
  }
  if ((await publicClient.getBalance({ address: sessionKey.address })) < parseEther('0.005')) {
    await send(walletClient.sendTransaction({ to: sessionKey.address, value: parseEther('0.02') }));
  }

  const [, , active] = await publicClient.readContract({
    address: tba,
    abi: agentAccountAbi,
    functionName: 'getSession',
    args: [sessionKey.address],
  });
  if (!active) {
    onStep('granting the session key its policy');
    const { validAfter, chainNow } = await sessionValidAfter(publicClient);
    const policy = agentSessionPolicy({
      sessionKey: sessionKey.address,
      vault: vault.address,
      token: deployment.usdx,
      computeMarket: deployment.computeMarket,
      trustedProviders: parameters.trustedProviders,
      tokenBudgetPerPeriod: parameters.dailyTokenBudget,
      nativeBudgetPerPeriod: parseEther('0.05'),
      maxCallsPerPeriod: 500,
      validAfter,
      validUntil: chainNow + parameters.sessionLifetimeSeconds,
      ...(parameters.erc8004 ? { erc8004: parameters.erc8004 } : {}),
      ...(parameters.x402 ? { x402: parameters.x402 } : {}),
    });
    if (parameters.grantSession) await parameters.grantSession(policy);
    else
      await send(
        walletClient.writeContract({
          address: tba,
          abi: agentAccountAbi,
          functionName: 'grantSession',
          args: [sessionKey.address, policy],
        }),
      );
  }

  return {
    ...deployment,
    agent: {
      tokenId: tokenId.toString(),
      tba,
      vault: vault.address,
      sessionKey: sessionKey.address,
      ...(deployment.agent?.agentId !== undefined && deployment.agent.tba === tba ? { agentId: deployment.agent.agentId } : {}),
    },
  };
}
