import { erc20Abi, type Address, type Client } from 'viem';
import { readContract } from 'viem/actions';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { runwayHours } from '../policy/runwayHours.js';
import { nowSeconds } from '../../core/clock.js';

/** Parameters of {@link readTreasury}. */
export type ReadTreasuryParameters = {
  client: Client;
  /** The agent's vault. */
  vault: Address;
  /** The payment token. */
  token: Address;
  /** The agent's token-bound account (its liquid balance), when known. */
  agent?: Address | undefined;
  /** Ledger, channels and calls. */
  memory: Pick<OpenAgentMemoryReturnType, 'ledger' | 'calls' | 'channels'>;
  /** Chart window in seconds (default 7 days). */
  windowSeconds?: number;
  /** Clock, unix seconds. */
  now?: () => number;
};

/** The dashboard's figures; amounts as decimal strings of token units. */
export type ReadTreasuryReturnType = {
  vault: Address;
  /** Unix seconds. */
  at: number;
  /** Vault total value (principal + unrealized and unharvested yield). */
  tvl: string;
  totalPrincipal: string;
  stakers: number;
  yieldHarvested: string;
  pendingYield: string;
  /** The agent account's liquid token balance. */
  agentBalance: string;
  /** Escrowed in open channels and not yet spent. */
  channelBalance: string;
  /** Deposited into compute channels (ledger: open_channel + top_up). */
  computeBought: string;
  /** Paid for inference (calls). */
  computeSpent: string;
  /** Spent in the last 24 h, per hour. */
  burnPerHour: string;
  /** Hours the channel balance lasts at that burn; null when nothing is burning. */
  runwayHours: number | null;
  /** Per provider: calls, failures, success rate, p50 latency, spend. */
  providers: Array<{ provider: Address; calls: number; failures: number; successRate: number; p50LatencyMs: number; spend: string }>;
  /** Hourly ledger buckets in the window: start (unix s), kind, count, succeeded amount. */
  series: Array<{ start: number; kind: string; count: number; amount: string }>;
};

/**
 * Reads the treasury dashboard: vault figures from the chain, the rest from the agent's memory.
 *
 * @param parameters Client, addresses, memory.
 * @returns Figures ready to send as JSON.
 * @example const figures = await readTreasury({ client, vault, token, agent: tba, memory })
 */
export async function readTreasury(parameters: ReadTreasuryParameters): Promise<ReadTreasuryReturnType> {
  const { client, vault, token, memory } = parameters;
  const now = (parameters.now ?? nowSeconds)();
  const read = <F extends 'totalValue' | 'totalPrincipal' | 'stakerCount' | 'totalHarvested' | 'pendingYield'>(functionName: F) =>
    readContract(client, { address: vault, abi: yieldVaultAbi, functionName }) as Promise<bigint>;
  const [tvl, totalPrincipal, stakers, harvested, pending, agentBalance] = await Promise.all([
    read('totalValue'),
    read('totalPrincipal'),
    read('stakerCount'),
    read('totalHarvested'),
    read('pendingYield'),
    parameters.agent ? readContract(client, { address: token, abi: erc20Abi, functionName: 'balanceOf', args: [parameters.agent] }) : Promise.resolve(0n),
  ]);
  const totals = memory.ledger.totalsByKind();
  const computeBought = totals.filter((t) => t.kind === 'open_channel' || t.kind === 'top_up').reduce((sum, t) => sum + t.amount, 0n);
  const channelBalance = memory.channels.listOpen().reduce((sum, c) => sum + (c.deposit > c.spent ? c.deposit - c.spent : 0n), 0n);
  const burnPerHour = memory.calls.spendSince({ since: now - 86_400 }) / 24n;
  const runway = runwayHours({ channelBalance, burnRatePerHour: burnPerHour });
  return {
    vault,
    at: now,
    tvl: tvl.toString(),
    totalPrincipal: totalPrincipal.toString(),
    stakers: Number(stakers),
    yieldHarvested: harvested.toString(),
    pendingYield: pending.toString(),
    agentBalance: agentBalance.toString(),
    channelBalance: channelBalance.toString(),
    computeBought: computeBought.toString(),
    computeSpent: memory.calls.spendSince({ since: 0 }).toString(),
    burnPerHour: burnPerHour.toString(),
    runwayHours: Number.isFinite(runway) ? runway : null,
    providers: memory.calls.providerStats().map((p) => ({ ...p, spend: p.spend.toString() })),
    series: memory.ledger
      .series({ bucket: 'hour', since: now - (parameters.windowSeconds ?? 7 * 86_400) })
      .map((b) => ({ start: b.start, kind: b.kind, count: b.count, amount: b.amount.toString() })),
  };
}
