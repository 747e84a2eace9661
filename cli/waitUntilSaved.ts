import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Hash, PublicClient } from 'viem';
import { readSavedBlock } from '../devnet/readSavedBlock.js';
import type { Config } from '../config/types.js';

/**
 * On the local devnet, waits until the chain's state file holds the block of `hash` (y2c up saves
 * it after every block), so a command prints "confirmed" only for what a crash cannot take back.
 * Elsewhere it returns at once (a real network keeps its own blocks).
 *
 * @param config Loaded config.
 * @param publicClient The chain.
 * @param hash A confirmed transaction.
 * @returns Whether the block is saved (false: a warning is printed after `timeoutMs`).
 * @example await waitUntilSaved(cfg, connection.publicClient, result.hash);
 */
export async function waitUntilSaved(config: Config, publicClient: PublicClient, hash: Hash, timeoutMs = 5_000): Promise<boolean> {
  if (config.network !== 'local' || config.chain.rpcUrl) return true;
  const statePath = join(config.dataDir, 'anvil-state.json');
  // A devnet that keeps no state (in memory) has nothing to wait for.
  if (!existsSync(statePath)) return true;
  const { blockNumber } = await publicClient.getTransactionReceipt({ hash });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((readSavedBlock(statePath) ?? -1n) >= blockNumber) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.stderr.write(`warning: the devnet has not saved block ${blockNumber} yet; a crash now could lose this transaction.\n`);
  return false;
}
