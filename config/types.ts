import type { Address, Hex } from 'viem';
import type { NetworkAssets, NetworkName } from './networkPresets.js';

/** Addresses of the deployed y2c contracts. */
export type Deployment = {
  /** AgentNFT (ERC-721). */
  agentNft: Address;
  /** AgentAccount implementation used by the ERC-6551 registry. */
  accountImplementation: Address;
  /** The agent's YieldVault. */
  vault: Address;
  /** ComputeMarket. */
  market: Address;
  /** Payment token (vault asset). */
  paymentToken: Address;
  /** ERC-4626 yield source, when known. */
  yieldSource: Address | undefined;
};

/** Who may use the chat channel. */
export type PassConfig =
  | { kind: 'stake'; /** Smallest stake, in vault asset units. */ minStake: bigint; token?: undefined }
  | { kind: 'erc721'; /** ERC-721 whose holders get access. */ token: Address; minStake?: undefined };

/** Log levels (pino). */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * The validated, normalised configuration: absolute paths, checksummed addresses, amounts in
 * token units as bigint, the network preset resolved. Built by `loadConfig`.
 */
export type Config = {
  /** Network name. */
  network: NetworkName;
  /** Absolute directory for keys, databases and devnet state. */
  dataDir: string;
  /** Absolute path of the config file that was read, if any. */
  configFile: string | undefined;
  /** Minimum log level. */
  logLevel: LogLevel;
  /** Chain access. */
  chain: {
    /** EIP-155 chain id. */
    id: number;
    /** Human name of the network. */
    name: string;
    /** True when y2c starts the chain itself. */
    devnet: boolean;
    /** JSON-RPC URL; on local, undefined until the devnet is started. */
    rpcUrl: string | undefined;
    /** Bundler URL; on local, undefined until the bundler is started; with transport "direct", may be undefined. */
    bundlerUrl: string | undefined;
    /** How the session key acts. */
    transport: 'direct' | 'userop';
    /** ERC-6551 registry. */
    erc6551Registry: Address;
    /** EntryPoint v0.7. */
    entryPoint: Address;
    /** ERC-8004 registries: the preset's canonical ones on real networks; undefined on the devnet (ours are deployed). */
    erc8004: { identityRegistry: Address; reputationRegistry: Address } | undefined;
    /** The network's real assets, yield sources, price feed and AMM (presets for Base and Ethereum); undefined elsewhere. */
    assets: NetworkAssets | undefined;
    /** Contracts; undefined on local until deployed (deterministic addresses). */
    deployment: Deployment | undefined;
    /** Payment token display symbol and decimals. */
    token: { symbol: string; decimals: number };
    /** Price of 1 ETH in payment token units. */
    ethPriceInToken: bigint;
  };
  /** Local devnet settings (warpAllowed is false on real networks). */
  devnet: {
    anvilPort: number | undefined;
    bundlerPort: number | undefined;
    aprBps: number;
    lockPeriodSeconds: number;
    demoStakers: number;
    warpAllowed: boolean;
  };
  /** Compute provider node. */
  provider: {
    port: number;
    host: string;
    backend: 'openai' | 'llama';
    upstream: { url: string | undefined; apiKey: string | undefined; modelMap: Record<string, string>; contextLength: number | undefined; tools: boolean };
    llama: { modelPath: string | undefined; threads: number; contextSize: number };
    /** Token units per million prompt tokens. */
    priceInPerMTok: bigint;
    /** Token units per million completion tokens. */
    priceOutPerMTok: bigint;
    models: string[];
    settleIntervalSeconds: number;
    maxBodyBytes: number;
    /** x402 v2 selling (issue 14). */
    x402: { enabled: boolean; facilitatorUrl: string | undefined; withdrawDelaySeconds: number; tokenName: string | undefined; tokenVersion: string | undefined };
    /** The ledger: a `postgres://` URL (a fleet) or a SQLite path; undefined = provider.db in dataDir. */
    store: string | undefined;
    /** Token units the node keeps bonded in the market (topped up at start). */
    bond: bigint;
    /** The public URL registered in the market (a fleet's load balancer); undefined = the node's own URL. */
    publicUrl: string | undefined;
  };
  /** Agent daemon. */
  agent: {
    chat: { port: number; host: string };
    /** The Telegram channel; it runs only with a bot token. */
    telegram: { botToken?: string | undefined; apiRoot: string; allowedGroups: number[]; editIntervalMs: number };
    constitution: string;
    model: string;
    /** Token units. */
    caps: { perRequestCap: bigint; dailyCap: bigint; dailyComputeBudget: bigint };
    trustedProviders: Address[];
    /** x402 buying: sellers (receivers) the agent may pay, and allowlisted services with a price cap each (token units). */
    x402: { sellers: Address[]; services: { name: string; url: string; maxPrice: bigint }[] };
    /** ERC-8004 clients whose provider feedback counts (the agent's own TBA always does). */
    reputationClients: Address[];
    /** Least bond (token units) a provider must hold before the agent funds a channel with it; 0 = no check. */
    minProviderBond: bigint;
    runwayTargetHours: number;
    treasury: {
      /** Token units. */
      minHarvest: bigint;
      harvestGasMultiple: number;
      /** Token units. */
      reserve: bigint;
      /** Token units. */
      minDeposit: bigint;
      idleCloseHours: number;
      criticalRunwayHours: number;
      /** Wei. */
      sessionGasFloor: bigint;
      /** Wei. */
      sessionGasTarget: bigint;
      minProviderSuccessRate: number;
      maxProviderLatencyMs: number;
    };
    schedules: { treasury: string; settle: string; reflect: string };
    pass: PassConfig;
  };
  /** Keys from the environment (real networks). */
  /** Who owns the agent, and what charter v1 adds to the agent's limits. */
  governance: {
    /** "community": a timelock its stakers govern holds the agent NFT; "eoa": the deployer key. */
    owner: 'community' | 'eoa';
    /** Keeper of the revoke-only session guardian, if any. */
    guardian: Address | undefined;
    /** Proposals the agent may file per week (charter v1). */
    proposalsPerWeek: number;
  };
  keys: { owner: Hex | undefined; staker: Hex | undefined; provider: Hex | undefined };
};
