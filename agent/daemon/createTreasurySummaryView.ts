import { formatEther, formatUnits, type PublicClient } from 'viem';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import type { AgentWallet } from '../../chain/wallet/createAgentWallet.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import { channelRemaining } from '../../memory/channelRemaining.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { readTreasuryStatus, type ReadTreasuryStatusReturnType } from '../../tools/account/readTreasuryStatus.js';
import type { Logger } from '../../core/Logger.js';

/** Parameters of {@link createTreasurySummaryView}. */
export type CreateTreasurySummaryViewParameters = {
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'channels' | 'kv' | 'ledger'>;
  wallet: Pick<AgentWallet, 'address' | 'sessionKey'>;
  /** Payment token display. */
  token: { symbol: string; decimals: number };
  log: Logger;
  /** A summary older than this is refreshed in the background when read (default 30 s): pending yield accrues without events. */
  maxAgeMs?: number;
};

/** The treasury summary of the system prompt, as a cached view. */
export type TreasurySummaryView = {
  /** The summary now: balances from the last chain read, compute left from memory. Never reads the chain. */
  current: () => string;
  /** Re-reads the chain (coalesced: one read at a time, one more if asked meanwhile). */
  refresh: () => Promise<void>;
  /** Stops watching. */
  stop: () => void;
};

/**
 * The brain's treasury summary, off the chat's hot path: the chain is read (balances, pending yield,
 * channels synced from their events) once at start, then again after each event of the vault or the
 * market, each treasury run (`refresh`), and in the background when the summary is older than
 * `maxAgeMs`. A chat turn only formats the cached figures, with the compute left in each open channel
 * taken from memory (what the paying fetch recorded), so the turn neither reads the chain nor writes
 * memory while it builds its prompt.
 *
 * @param parameters Chain, memory, wallet, token and log.
 * @returns The view, read once.
 * @example const summary = await createTreasurySummaryView({ publicClient, deployment, memory, wallet, token, log }); summary.current()
 */
export async function createTreasurySummaryView(parameters: CreateTreasurySummaryViewParameters): Promise<TreasurySummaryView> {
  const { publicClient, deployment, memory, wallet, token, log } = parameters;
  const maxAgeMs = parameters.maxAgeMs ?? 30_000;
  let status: ReadTreasuryStatusReturnType = await readTreasuryStatus({ publicClient, deployment, memory, wallet });
  let readAt = Date.now();
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const refresh = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          status = await readTreasuryStatus({ publicClient, deployment, memory, wallet });
          readAt = Date.now();
        } catch (error) {
          if (!stopped) log.warn('treasury summary refresh failed', { error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
        }
      } while (again && !stopped);
    })().finally(() => (running = undefined));
    return running;
  };
  const onLogs = () => void refresh();
  const onError = (error: Error) => log.warn('treasury summary watch error', { error: error.message.split('\n')[0] });
  const unwatch = [
    publicClient.watchContractEvent({ address: deployment.agent.vault, abi: yieldVaultAbi, onLogs, onError }),
    publicClient.watchContractEvent({ address: deployment.computeMarket, abi: computeMarketAbi, onLogs, onError }),
  ];
  const units = (amount: bigint) => `${formatUnits(amount, token.decimals)} ${token.symbol}`;
  return {
    current: () => {
      if (Date.now() - readAt > maxAgeMs) void refresh();
      const open = memory.channels.listOpen().filter((channel) => channel.status === 'open');
      const computeAvailable = open.reduce((sum, channel) => sum + channelRemaining(channel), 0n);
      return [
        `account ${status.tba}: ${units(status.tokenBalance)}, ${formatEther(status.ethBalance)} ETH; pending yield ${units(status.pendingYield)};`,
        `compute left in ${open.length} open channel(s): ${units(computeAvailable)}; community principal ${units(status.totalPrincipal)}.`,
      ].join(' ');
    },
    refresh,
    stop: () => {
      stopped = true;
      for (const stop of unwatch) stop();
    },
  };
}
