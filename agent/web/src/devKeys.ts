/**
 * LOCAL DEVNET ONLY. anvil's default mnemonic ("test test … junk") dev accounts: their private
 * keys are public knowledge and hold no real funds anywhere. The page offers them only when the
 * server says it runs on the local devnet (`/api/config` → `devnet: true`).
 */
import type { Hex } from 'viem';

/** The dev accounts the page offers, with their devnet roles. */
export const devKeys: ReadonlyArray<{ index: number; label: string; key: Hex }> = [
  { index: 4, label: 'Demo staker 1 (1000 USDx)', key: '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a' },
  { index: 5, label: 'Demo staker 2 (2500 USDx)', key: '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba' },
  { index: 6, label: 'Demo staker 3 (5000 USDx)', key: '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e' },
  { index: 0, label: 'Agent owner (no stake)', key: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80' },
  { index: 8, label: 'Visitor (no stake)', key: '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97' },
];
