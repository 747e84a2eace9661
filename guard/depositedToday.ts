import type { GuardContext } from './GuardContext.js';
import { day } from './guardLimits.js';

/**
 * Token units deposited (channels opened and topped up, x402 deposits) over the rolling 24 hours,
 * pending intents included, failed ones not.
 *
 * @param context The guard.
 * @returns The total.
 * @example const left = policy.maxDepositPerDay - depositedToday(context);
 */
export function depositedToday(context: Pick<GuardContext, 'memory' | 'now'>): bigint {
  const since = context.now() - day;
  let total = 0n;
  for (const kind of ['open_channel', 'top_up', 'x402_deposit'] as const) {
    for (const entry of context.memory.ledger.listRecent(1000, kind)) {
      if (entry.createdAt < since || entry.status === 'failed') continue;
      total += entry.amount ?? 0n;
    }
  }
  return total;
}
