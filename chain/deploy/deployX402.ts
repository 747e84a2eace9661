import { encodeDeployData, type Address, type Hex } from 'viem';
import { erc3009DepositCollectorAbi, erc3009DepositCollectorBytecode } from '../abi/generated/erc3009DepositCollector.js';
import { multicall3Bytecode } from '../abi/generated/multicall3.js';
import { x402BatchSettlementBytecode } from '../abi/generated/x402BatchSettlement.js';
import { DeploymentFailedError, deployCreate2 } from './deployCreate2.js';
import type { DeployClients } from './deployContracts.js';
import { saltFor } from './saltFor.js';

/** The x402 `batch-settlement` escrow's canonical address (hard-coded in `@x402/evm`). */
export const x402BatchSettlementAddress: Address = '0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003';
/** The canonical ERC-3009 deposit collector of the escrow. */
export const x402Erc3009CollectorAddress: Address = '0x4020806089470a89826cB9fB1f4059150b550004';
/** Multicall3's canonical address (the x402 facilitator reads channels through `tryAggregate`). */
export const multicall3Address: Address = '0xcA11bde05977b3631167028862bE2a173976CA11';

/** What {@link deployX402} found or placed. */
export type DeployX402ReturnType = {
  /** The escrow, the ERC-3009 collector and Multicall3, at their canonical addresses. */
  batchSettlement: Address;
  erc3009Collector: Address;
  multicall3: Address;
  /** Names placed now (empty on a second run, or on a network that already has them). */
  deployed: string[];
};

/**
 * Puts y2c's own x402 contracts (the batch-settlement escrow, its ERC-3009 deposit collector, Multicall3)
 * at the canonical addresses the official x402 packages call, on an anvil devnet: each is deployed
 * through CREATE2 (so its constructor runs and its immutables land in the runtime code), then that
 * runtime code is copied to the canonical address with `anvil_setCode`. None of them keeps state set by
 * a constructor, so the copy needs no storage. Off the devnet (chain id other than 31337) it places nothing:
 * real networks have the canonical deployments.
 *
 * @param clients Public client (an anvil node for the copy) and the wallet that pays.
 * @returns The canonical addresses and what was placed now.
 */
export async function deployX402(clients: DeployClients): Promise<DeployX402ReturnType> {
  const deployed: string[] = [];
  const devnet = (await clients.publicClient.getChainId()) === 31337;
  const place = async (name: string, canonical: Address, initCode: Hex) => {
    const present = await clients.publicClient.getCode({ address: canonical });
    if ((present && present !== '0x') || !devnet) return;
    const { address } = await deployCreate2(clients, { name, salt: saltFor(name), initCode });
    const runtime = await clients.publicClient.getCode({ address });
    if (!runtime || runtime === '0x') throw new DeploymentFailedError(`${name} left no code at ${address}.`);
    // anvil only: a real network has the canonical deployments and never reaches this line.
    await clients.publicClient.request({ method: 'anvil_setCode' as never, params: [canonical, runtime] as never });
    const copied = await clients.publicClient.getCode({ address: canonical });
    if (copied !== runtime) throw new DeploymentFailedError(`${name} could not be placed at ${canonical} (not an anvil node?).`);
    deployed.push(name);
  };
  await place('Multicall3', multicall3Address, multicall3Bytecode);
  await place('X402BatchSettlement', x402BatchSettlementAddress, x402BatchSettlementBytecode);
  await place(
    'ERC3009DepositCollector',
    x402Erc3009CollectorAddress,
    encodeDeployData({
      abi: erc3009DepositCollectorAbi,
      bytecode: erc3009DepositCollectorBytecode,
      args: [x402BatchSettlementAddress],
    }),
  );
  return {
    batchSettlement: x402BatchSettlementAddress,
    erc3009Collector: x402Erc3009CollectorAddress,
    multicall3: multicall3Address,
    deployed,
  };
}
