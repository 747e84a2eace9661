import { erc20Abi, type Address } from 'viem';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { channelRemaining } from '../../memory/channelRemaining.js';
import type { AgentChannel } from '../../memory/createChannelsStore.js';
import { syncChannels } from '../compute/syncChannels.js';
import type { Y2cToolContext } from '../Y2cToolContext.js';

/** Parameters of {@link readTreasuryStatus}. */
export type ReadTreasuryStatusParameters = Pick<Y2cToolContext, 'publicClient' | 'deployment' | 'memory' | 'wallet'>;

/** The treasury as the chain says now. Token units, wei. */
export type ReadTreasuryStatusReturnType = {
  tba: Address;
  /** Payment token held by the TBA. */
  tokenBalance: bigint;
  /** Wei held by the TBA. */
  ethBalance: bigint;
  /** Wei held by the session key. */
  sessionKeyEthBalance: bigint;
  /** Harvestable yield. */
  pendingYield: bigint;
  /** Principal staked by the community (never spent). */
  totalPrincipal: bigint;
  totalHarvested: bigint;
  /** Channels open or closing. */
  channels: AgentChannel[];
  /** Sum over open channels of deposit − max(spent, redeemed). */
  computeAvailable: bigint;
};

/**
 * Reads the treasury: balances of the TBA and session key, the vault's pending yield and totals,
 * and the agent's channels (synced from the chain first).
 *
 * @param parameters Chain, deployment, memory and wallet.
 * @returns The status.
 * @example const status = await readTreasuryStatus(context)
 */
export async function readTreasuryStatus(parameters: ReadTreasuryStatusParameters): Promise<ReadTreasuryStatusReturnType> {
  const { publicClient, deployment, wallet } = parameters;
  const tba = deployment.agent.tba;
  const vault = deployment.agent.vault;
  const [tokenBalance, ethBalance, sessionKeyEthBalance, pendingYield, totalPrincipal, totalHarvested, channels] = await Promise.all([
    publicClient.readContract({ address: deployment.usdx, abi: erc20Abi, functionName: 'balanceOf', args: [tba] }),
    publicClient.getBalance({ address: tba }),
    publicClient.getBalance({ address: wallet.sessionKey }),
    publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'pendingYield' }),
    publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'totalPrincipal' }),
    publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'totalHarvested' }),
    syncChannels(parameters),
  ]);
  const computeAvailable = channels
    .filter((channel) => channel.status === 'open')
    .reduce((sum, channel) => sum + channelRemaining(channel), 0n);
  return { tba, tokenBalance, ethBalance, sessionKeyEthBalance, pendingYield, totalPrincipal, totalHarvested, channels, computeAvailable };
}
