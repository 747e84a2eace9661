import { jsonReplacer } from './jsonReplacer.js';

/**
 * A value with every bigint turned into its decimal string, for artifacts that cross JSON edges.
 *
 * @param value Any value.
 * @returns The same shape, JSON-safe.
 * @example jsonSafe({ amount: 5n }) // { amount: '5' }
 */
export function jsonSafe<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, jsonReplacer));
}
