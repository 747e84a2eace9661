import type { PublicClient } from 'viem';
import { AgentError } from '../../core/AgentError.js';

/**
 * Moves the devnet's clock forward and mines a block, so yield accrues on demand. Local only.
 *
 * @param publicClient Client of the local anvil.
 * @param days Days to move (may be fractional, > 0, at most 3650).
 * @returns The new block timestamp.
 */
export async function warp(publicClient: PublicClient, days: number): Promise<bigint> {
  if (!Number.isFinite(days) || days <= 0 || days > 3650) {
    throw new AgentError(`warp takes a number of days between 0 and 3650, got ${days}.`);
  }
  const seconds = Math.round(days * 86_400);
  await publicClient.request({ method: 'evm_increaseTime' as never, params: [seconds] as never });
  await publicClient.request({ method: 'evm_mine' as never, params: [] as never });
  return (await publicClient.getBlock()).timestamp;
}
