import { encodeFunctionData, isAddressEqual, parseEventLogs, type Hex } from 'viem';
import { agentAccountAbi } from '../abi/generated/agentAccount.js';
import { agentNftAbi } from '../abi/generated/agentNft.js';
import { identityRegistryAbi } from '../abi/generated/identityRegistry.js';
import { confirmTransaction } from '../confirmTransaction.js';
import { agentWalletDigest } from '../identity/agentWalletDigest.js';
import type { DeployClients } from './deployContracts.js';
import type { Deployment, Erc8004Deployment } from './deployment.js';

/** Seconds an agent-wallet proof stays valid (the registries accept at most 5 minutes). */
const proofLifetimeSeconds = 240n;

/** Parameters of {@link bootstrapIdentity}. */
export type BootstrapIdentityParameters = {
  /** The deployment with its agent and its ERC-8004 registries. */
  deployment: Deployment & { agent: NonNullable<Deployment['agent']>; erc8004: Erc8004Deployment };
  /** Reports progress. */
  onStep?: (step: string) => void;
};

/**
 * Gives the agent its ERC-8004 identity while the wallet client's account still holds the agent NFT
 * (before `bootstrapGovernance` hands it to the timelock, or for good in `--owner eoa` worlds): the
 * TBA itself registers in the Identity Registry (so the TBA owns its identity and its session key can
 * later update the registration file), then sets itself as `agentWallet` with the ERC's EIP-712
 * proof, which the registry checks through the TBA's ERC-1271: the NFT holder signs the TBA's
 * replay-safe hash of the `AgentWalletSet` digest. A session key can never give that signature (the
 * TBA's ERC-1271 accepts only its owner), and a timelock cannot sign at all, which is why this runs
 * here. The wallet stays proved afterwards: it is cleared only when the identity token moves, which
 * the session policy does not allow. Idempotent (an agent id already owned by the TBA is kept).
 *
 * @param clients Public client, and the wallet client of the agent NFT's holder.
 * @param parameters Deployment and progress callback.
 * @returns The deployment with `agent.agentId`.
 */
export async function bootstrapIdentity(clients: DeployClients, parameters: BootstrapIdentityParameters): Promise<BootstrapIdentityParameters['deployment']> {
  const { publicClient, walletClient } = clients;
  const { deployment, onStep = () => {} } = parameters;
  const { agent } = deployment;
  const registry = deployment.erc8004.identityRegistry;
  const tba = agent.tba;
  const read = publicClient.readContract;
  const send = async (what: string, request: Promise<Hex>) => confirmTransaction(publicClient, await request, what);
  const asTba = (what: string, data: Hex) =>
    send(what, walletClient.writeContract({ address: tba, abi: agentAccountAbi, functionName: 'execute', args: [registry, 0n, data, 0] }));

  if (agent.agentId !== undefined) {
    const owner = await read({ address: registry, abi: identityRegistryAbi, functionName: 'ownerOf', args: [BigInt(agent.agentId)] }).catch(() => undefined);
    if (owner && isAddressEqual(owner, tba)) return deployment;
  }
  const holder = await read({ address: deployment.agentNft, abi: agentNftAbi, functionName: 'ownerOf', args: [BigInt(agent.tokenId)] });
  if (!isAddressEqual(holder, walletClient.account.address)) {
    onStep('the agent NFT is not the deployer\'s: its ERC-8004 registration needs its owner');
    return deployment;
  }

  onStep('registering the agent in the ERC-8004 identity registry');
  const receipt = await asTba('Registering the agent identity', encodeFunctionData({ abi: identityRegistryAbi, functionName: 'register', args: [] }));
  const registered = parseEventLogs({ abi: identityRegistryAbi, logs: receipt.logs, eventName: 'Registered' }).find((log) => isAddressEqual(log.address, registry));
  if (!registered) throw new Error('the identity registry emitted no Registered event');
  const { agentId } = registered.args;

  onStep('proving the TBA as the agent wallet (EIP-712 through its ERC-1271)');
  const block = await publicClient.getBlock();
  const deadline = block.timestamp + proofLifetimeSeconds;
  const digest = agentWalletDigest({ chainId: deployment.chainId, registry, agentId, newWallet: tba, owner: tba, deadline });
  const signature = await walletClient.signTypedData({
    account: walletClient.account,
    domain: { name: 'AgentAccount', version: '1', chainId: deployment.chainId, verifyingContract: tba },
    types: { AgentAccountMessage: [{ name: 'hash', type: 'bytes32' }] },
    primaryType: 'AgentAccountMessage',
    message: { hash: digest },
  });
  await asTba(
    'Proving the agent wallet',
    encodeFunctionData({ abi: identityRegistryAbi, functionName: 'setAgentWallet', args: [agentId, tba, deadline, signature] }),
  );
  return { ...deployment, agent: { ...agent, agentId: agentId.toString() } };
}
