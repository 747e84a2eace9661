import { readFileSync } from 'node:fs';
import { savedBlockPath } from './keepAnvilState.js';

/**
 * The block the local devnet's state file holds (written by `keepAnvilState`), or undefined when
 * nothing was saved yet.
 *
 * @param statePath The anvil state file (`.y2c/anvil-state.json`).
 * @returns The block number.
 * @example const block = readSavedBlock('.y2c/anvil-state.json');
 */
export function readSavedBlock(statePath: string): bigint | undefined {
  try {
    const { block } = JSON.parse(readFileSync(savedBlockPath(statePath), 'utf8')) as { block?: unknown };
    return typeof block === 'string' && /^[0-9]+$/.test(block) ? BigInt(block) : undefined;
  } catch {
    return undefined;
  }
}
