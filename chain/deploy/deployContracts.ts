import { encodeDeployData, zeroHash, type Account, type Address, type Chain, type PublicClient, type Transport, type WalletClient } from 'viem';
import { agentAccountAbi, agentAccountBytecode } from '../abi/generated/agentAccount.js';
import { agentNftAbi, agentNftBytecode } from '../abi/generated/agentNft.js';
import { computeMarketAbi, computeMarketBytecode } from '../abi/generated/computeMarket.js';
import { susdxAbi, susdxBytecode } from '../abi/generated/susdx.js';
import { usdxAbi, usdxBytecode } from '../abi/generated/usdx.js';
import { confirmTransaction } from '../confirmTransaction.js';
import { deployCanonical } from './deployCanonical.js';
import { deployCreate2 } from './deployCreate2.js';
import { deployX402 } from './deployX402.js';
import type { Deployment } from './deployment.js';
import { saltFor } from './saltFor.js';

/** Parameters of {@link deployContracts}. */
export type DeployContractsParameters = {
  /** Owner of USDx, sUSDx and the NFT collection (the devnet's first dev account). */
  owner: Address;
  /** sUSDx yield in basis points a year. */
  aprBps: number;
  /** Seconds between a close request and finalize in the market. */
  challengePeriodSeconds: bigint;
};

/** Clients used to deploy. */
export type DeployClients = { publicClient: PublicClient; walletClient: WalletClient<Transport, Chain, Account> };

/**
 * Deploys y2c's shared contracts (USDx, sUSDx, AgentNFT, the AgentAccount implementation,
 * ComputeMarket) plus the canonical registry and EntryPoint, each at a deterministic CREATE2
 * address. A second run deploys nothing and returns the same addresses.
 *
 * @param clients Public and wallet client (the wallet pays).
 * @param parameters Owner and economic settings, which are part of the init code (changing them moves the addresses).
 * @returns The deployment (without the agent) and the names deployed now.
 */
export async function deployContracts(
  clients: DeployClients,
  parameters: DeployContractsParameters,
): Promise<{ deployment: Deployment; deployed: string[] }> {
  const { publicClient, walletClient } = clients;
  const canonical = await deployCanonical(clients);
  const deployed = [...canonical.deployed];
  // x402 (issue 14): the escrow, its ERC-3009 collector and Multicall3 at their canonical addresses.
  deployed.push(...(await deployX402(clients)).deployed);
  const create2 = async (name: string, initCode: `0x${string}`) => {
    const result = await deployCreate2(clients, { name, salt: saltFor(name), initCode });
    if (result.deployed) deployed.push(name);
    return result.address;
  };
  const usdx = await create2('USDx', encodeDeployData({ abi: usdxAbi, bytecode: usdxBytecode, args: [parameters.owner] }));
  const susdx = await create2(
    'SUSDx',
    encodeDeployData({ abi: susdxAbi, bytecode: susdxBytecode, args: [usdx, parameters.aprBps, parameters.owner] }),
  );
  const isMinter = await publicClient.readContract({ address: usdx, abi: usdxAbi, functionName: 'isMinter', args: [susdx] });
  if (!isMinter) {
    const hash = await walletClient.writeContract({ address: usdx, abi: usdxAbi, functionName: 'setMinter', args: [susdx, true] });
    await confirmTransaction(publicClient, hash, 'Making sUSDx a USDx minter');
  }
  const accountImplementation = await create2(
    'AgentAccount',
    encodeDeployData({ abi: agentAccountAbi, bytecode: agentAccountBytecode, args: [canonical.entryPoint] }),
  );
  // The NFT tells each agent's account (implementation + salt 0, as bootstrapAgent creates it) about
  // transfers, so the previous owner's session keys fail ERC-4337 validation.
  const agentNft = await create2(
    'AgentNFT',
    encodeDeployData({ abi: agentNftAbi, bytecode: agentNftBytecode, args: [parameters.owner, accountImplementation, zeroHash] }),
  );
  const computeMarket = await create2(
    'ComputeMarket',
    encodeDeployData({
      abi: computeMarketAbi,
      bytecode: computeMarketBytecode,
      args: [usdx, parameters.challengePeriodSeconds],
    }),
  );
  const chainId = await publicClient.getChainId();
  return {
    deployment: {
      chainId,
      entryPoint: canonical.entryPoint,
      erc6551Registry: canonical.erc6551Registry,
      usdx,
      susdx,
      agentNft,
      accountImplementation,
      computeMarket,
    },
    deployed,
  };
}
