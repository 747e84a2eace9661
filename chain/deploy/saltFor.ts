import { keccak256, toHex, type Hex } from 'viem';

/**
 * The CREATE2 salt of one of y2c's contracts: stable across runs, so addresses are deterministic
 * and a second deployment finds the first.
 *
 * @param name Contract label, e.g. `ComputeMarket`.
 * @param version Bump to deploy a new generation side by side.
 * @returns 32-byte salt.
 */
export function saltFor(name: string, version = 'v1'): Hex {
  return keccak256(toHex(`y2c/${version}/${name}`));
}
