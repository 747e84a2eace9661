import { getAddress, isAddress } from 'viem';
import { ConfigError } from './ConfigError.js';
import type { NetworkPreset } from './networkPresets.js';

/**
 * Checks every address in a network preset: 20 bytes of hex, written in its EIP-55 checksummed
 * form. The checksum catches a mistyped character with near certainty, so a typo in a preset fails
 * here, naming the entry, instead of sending funds to a wrong address.
 *
 * @param network The preset's name, for the message.
 * @param preset The preset to check.
 * @throws {ConfigError} For the first address that is malformed or not checksummed.
 * @example checkPresetAddresses('base', networkPresets.base);
 */
export function checkPresetAddresses(network: string, preset: NetworkPreset): void {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string' && value.startsWith('0x')) {
      if (!isAddress(value, { strict: false }))
        throw new ConfigError({ option: `networkPresets.${network}.${path}`, value, expected: 'a 0x-prefixed 20-byte hex address', fix: 'Correct the preset in config/networkPresets.ts' });
      const checksummed = getAddress(value);
      if (checksummed !== value)
        throw new ConfigError({
          option: `networkPresets.${network}.${path}`,
          value,
          expected: `the EIP-55 checksummed address (a mistyped character breaks the checksum; ${checksummed} is the checksummed form of what is written)`,
          fix: 'Compare the preset in config/networkPresets.ts with the document named beside it',
        });
      return;
    }
    if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
  };
  walk(preset, '');
}
