import { depositedToday } from './depositedToday.js';
import { ComputeCapExceededError } from './errors.js';
import type { GuardContext } from './GuardContext.js';

/**
 * A deposit must be positive, within the per-call cap and within the rolling 24-hour budget.
 *
 * @param context The guard.
 * @param amount Token units.
 * @throws {ComputeCapExceededError} Otherwise.
 * @example checkDeposit(context, 5_000_000n);
 */
export function checkDeposit(context: GuardContext, amount: bigint): void {
  const { policy } = context;
  if (amount <= 0n) throw new ComputeCapExceededError('A deposit must be more than zero.');
  if (amount > policy.maxDepositPerCall) {
    throw new ComputeCapExceededError(`A deposit of ${amount} is above the per-call cap of ${policy.maxDepositPerCall} token units.`);
  }
  const today = depositedToday(context);
  if (today + amount > policy.maxDepositPerDay) {
    throw new ComputeCapExceededError(
      `A deposit of ${amount} would bring the last 24 hours to ${today + amount}, above the daily compute budget of ${policy.maxDepositPerDay} token units.`,
    );
  }
}
