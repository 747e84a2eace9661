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
  /** The assets and markets a y2c deployment on this network uses. Absent on the devnet and testnet. */
  assets?: NetworkAssets;
};

/**
 * The real-world contracts a y2c deployment needs on a network: what stakers bring, where its yield
 * comes from (and which adapter presents it to the vault as ERC-4626), the price feed and the AMM
 * that convert ETH yield into the payment token. Each address in a preset carries, beside it, the
 * published document it was checked against.
 */
export type NetworkAssets = {
  /** Circle's native USDC, the payment token (6 decimals). */
  usdc: Address;
  /** Wrapped ether. */
  weth: Address;
  /** The USD yield source and how the vault reaches it. */
  usdYield: {
    /** The yield-bearing token (sUSDS). */
    token: Address;
    /** `erc4626`: the vault deposits into `token` directly; `sparkPsm`: through `SUSDSBaseAdapter` over `psm`. */
    kind: 'erc4626' | 'sparkPsm';
    /** What the vault stakes for this source (USDS into sUSDS on Ethereum, USDC through the PSM on Base). */
    asset: Address;
    /** Spark PSM3, when `kind` is `sparkPsm`. */
    psm?: Address;
  };
  /** The ETH yield source: Lido's wstETH (not ERC-4626), through `WstETHAdapter` where stETH exists. */
  ethYield: {
    /** wstETH. */
    wstETH: Address;
    /** stETH, the ETH vault's asset with the adapter; absent where only bridged wstETH exists (Base). */
    stETH?: Address;
  };
  /** Chainlink ETH/USD (AggregatorV3, 8 decimals): the converter's oracle. */
  chainlinkEthUsd: Address;
  /** Uniswap v3. */
  uniswapV3: {
    factory: Address;
    /** `SwapRouter` (with `deadline`) on Ethereum; only `SwapRouter02` (no `deadline`) on Base. */
    router: Address;
    routerKind: 'SwapRouter' | 'SwapRouter02';
  };
};

/**
 * The networks y2c knows by name. `local` is the devnet we start; the others need their RPC,
 * bundler and deployment addresses from the config. Every address is EIP-55 checksummed, so a typo
 * in one fails `checkPresetAddresses` (run by `loadConfig` on the chosen network).
 * Not in the presets: an x402 batch-settlement escrow (no canonical deployment on these networks
 * that we could check; y2c deploys its own), and the ERC-8004 registries on mainnets (the copies of
 * the erc-8004-contracts README found disagree on the reputation registry; give them in the config).
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
  base: {
    chainId: 8453,
    name: 'Base',
    devnet: false,
    // ERC-6551 registry and EntryPoint v0.7: the same canonical (CREATE2) addresses as on every chain.
    erc6551Registry: '0x000000006551c19487814612e58FE06813775758',
    entryPoint: '0x0000000071727De22E5E9d8BAf0edAc6f37da032',
    assets: {
      // Coinbase CDP docs (docs.cdp.coinbase.com, swap examples on network "base"); Circle's list not read here.
      usdc: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
      // OP-stack predeploy; same CDP docs page.
      weth: '0x4200000000000000000000000000000000000006',
      usdYield: {
        // docs.spark.fi/dev/savings/cross-chain-tokens: bridged sUSDS on Base is a plain ERC-20, no ERC-4626.
        token: '0x5875eEE11Cf8398102FdAd704C9E96607675467a',
        kind: 'sparkPsm',
        asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
        // Spark docs, "Spark PSM" page (spark-docs-v2.vercel.app/dev/savings/spark-psm): PSM3 on Base.
        psm: '0x1601843c5E9bC251A3272907010AFa41Fa18347E',
      },
      ethYield: {
        // NOT checked against docs.lido.fi here (its deployed-contracts page was read for mainnet only);
        // the address is the one many public Base integrations use. Verify before mainnet use.
        wstETH: '0xc1CBa3fCea344f92D9239c08C0568f6F2F0ee452',
      },
      // NOT checked against docs.chain.link here (its address table did not render in our copy); it is
      // the ETH/USD proxy that public Base code cites from that page. Verify before mainnet use.
      chainlinkEthUsd: '0x71041dddad3595F9CEd3DcCFBe3D1F4b0a16Bb70',
      uniswapV3: {
        // docs.base.org/chain/contracts (v3CoreFactory, swapRouter) and docs.uniswap.org Base deployments.
        factory: '0x33128a8fC17869897dcE68Ed026d694621f6FDfD',
        router: '0x2626664c2603336E57B271c5C0b26F421741e481',
        routerKind: 'SwapRouter02',
      },
    },
  },
  ethereum: {
    chainId: 1,
    name: 'Ethereum',
    devnet: false,
    erc6551Registry: '0x000000006551c19487814612e58FE06813775758',
    entryPoint: '0x0000000071727De22E5E9d8BAf0edAc6f37da032',
    assets: {
      // docs.uniswap.org v3 deployments page (its getPool example names USDC and WETH on mainnet).
      usdc: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
      weth: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
      usdYield: {
        // docs.spark.fi/dev/savings/susds-token (sUSDS, ERC-4626 on Ethereum) and its user guide (USDS).
        token: '0xa3931d71877C0E7a3148CB7Eb4463524FEc27fbD',
        kind: 'erc4626',
        asset: '0xdC035D45d973E3EC169d2276DDab16f1e407384F',
      },
      ethYield: {
        // docs.lido.fi/deployed-contracts (Ethereum mainnet): wstETH token and "Lido and stETH token".
        wstETH: '0x7f39C581F595B53c5cb19bD0b3f8dA6c935E2Ca0',
        stETH: '0xae7ab96520DE3A18E5e111B5EaAb095312D7fE84',
      },
      // NOT checked against docs.chain.link here (see Base); the mainnet ETH/USD proxy public code cites.
      chainlinkEthUsd: '0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419',
      uniswapV3: {
        // Uniswap/v3-periphery deploys.md (Mainnet column): UniswapV3Factory and SwapRouter.
        factory: '0x1F98431c8aD98523631AE4a59f267346ea31F984',
        router: '0xE592427A0AEce92De3Edee1F18E0157C05861564',
        routerKind: 'SwapRouter',
      },
    },
  },
} as const satisfies Record<string, NetworkPreset>;

/** A network y2c knows by name. */
export type NetworkName = keyof typeof networkPresets;
