import type { PublicClient } from 'viem';

/**
 * When a newly granted session should start: a minute before the earlier of chain time and wall
 * time. Bundlers compare `validAfter` with the wall clock while the chain may run ahead of it (after
 * `y2c warp`), so starting at chain time would make a fresh session "not valid yet" to the bundler.
 *
 * @param publicClient Client of the chain.
 * @returns `validAfter` and the chain's current time, in unix seconds.
 */
export async function sessionValidAfter(publicClient: PublicClient): Promise<{ validAfter: number; chainNow: number }> {
  const chainNow = Number((await publicClient.getBlock()).timestamp);
  const wallNow = Math.floor(Date.now() / 1000);
  return { validAfter: Math.min(chainNow, wallNow) - 60, chainNow };
}
