import { formatEther, formatUnits, type PublicClient } from 'viem';
import type { AgentWallet } from '../../chain/wallet/createAgentWallet.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { readTreasuryStatus } from '../../tools/account/readTreasuryStatus.js';

/** Parameters of {@link createTreasurySummary}. */
export type CreateTreasurySummaryParameters = {
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: OpenAgentMemoryReturnType;
  wallet: AgentWallet;
  /** The payment token (amounts are printed in it). */
  token: { symbol: string; decimals: number };
};

/**
 * The treasury line of the brain's system prompt: balances, pending yield, compute left in open
 * channels and the community's principal, in token units with the symbol.
 *
 * @param parameters Where to read, and the token.
 * @returns A function that reads the treasury and formats it.
 * @example const summary = createTreasurySummary({ publicClient, deployment, memory, wallet, token }); await summary();
 */
export function createTreasurySummary(parameters: CreateTreasurySummaryParameters): () => Promise<string> {
  const { publicClient, deployment, memory, wallet, token } = parameters;
  const units = (amount: bigint) => `${formatUnits(amount, token.decimals)} ${token.symbol}`;
  return async () => {
    const status = await readTreasuryStatus({ publicClient, deployment, memory, wallet });
    return [
      `account ${status.tba}: ${units(status.tokenBalance)}, ${formatEther(status.ethBalance)} ETH; pending yield ${units(status.pendingYield)};`,
      `compute left in ${status.channels.filter((channel) => channel.status === 'open').length} open channel(s): ${units(status.computeAvailable)}; community principal ${units(status.totalPrincipal)}.`,
    ].join(' ');
  };
}
