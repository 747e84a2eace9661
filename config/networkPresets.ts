import type { Address } from 'viem';

/** What a network name stands for: chain id and the canonical contracts every deployment shares. */
export type NetworkPreset = {
  /** EIP-155 chain id. */
  chainId: number;
  /** Human name. */
  name: string;
  /** True when `y2c up` starts the chain itself (anvil, bundler), with ports chosen at start. */
  devnet: boolean;
  /** ERC-6551 registry at its canonical address. */
  erc6551Registry: Address;
  /** ERC-4337 EntryPoint v0.7 at its canonical address. */
  entryPoint: Address;
  /**
   * The canonical ERC-8004 Identity and Reputation registries (erc-8004/erc-8004-contracts README:
   * one address pair on every mainnet, another on every testnet). Absent on the devnet, where
   * `y2c up` deploys ours.
   */
  erc8004?: { identityRegistry: Address; reputationRegistry: Address };
};

/**
 * The networks y2c knows by name. `local` is the devnet we start; `base-sepolia` needs its RPC,
 * bundler and deployment addresses from the config.
 */
export const networkPresets = {
  local: {
    chainId: 31337,
    name: 'Local devnet (anvil)',
    devnet: true,
    erc6551Registry: '0x000000006551c19487814612e58FE06813775758',
    entryPoint: '0x0000000071727De22E5E9d8BAf0edAc6f37da032',
  },
  'base-sepolia': {
    chainId: 84532,
    name: 'Base Sepolia',
    devnet: false,
    erc6551Registry: '0x000000006551c19487814612e58FE06813775758',
    entryPoint: '0x0000000071727De22E5E9d8BAf0edAc6f37da032',
    erc8004: { identityRegistry: '0x8004A818BFB912233c491871b3d84c89A494BD9e', reputationRegistry: '0x8004B663056A597Dffe9eCcC1965A193B7388713' },
  },
} as const satisfies Record<string, NetworkPreset>;

/** A network y2c knows by name. */
export type NetworkName = keyof typeof networkPresets;
