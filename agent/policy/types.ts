import type { Address } from 'viem';

/** A payment channel as the treasury sees it. Amounts in payment token units, times in unix seconds. */
export type ChannelSnapshot = {
  channelId: bigint;
  provider: Address;
  deposit: bigint;
  /** Redeemed on chain by the provider. */
  redeemed: bigint;
  /** Spent as the provider last reported (`x-y2c-spent`). */
  spentReported: bigint;
  /** When the channel was opened (idle time counts from here until first use). */
  openedAt: number;
  /** Last paid call; undefined when never used. */
  lastUsedAt: number | undefined;
  /** End of the challenge window once a close was requested; undefined while open. */
  closesAt: number | undefined;
};

/** A provider of the market, with the agent's own view of its health. */
export type ProviderSnapshot = {
  address: Address;
  /** Token units per million prompt tokens. */
  priceIn: bigint;
  /** Token units per million completion tokens. */
  priceOut: bigint;
  /** Registered and not deactivated in the market. */
  active: boolean;
  /** Listed in the config's trusted providers. */
  trusted: boolean;
  /** Derived from the agent's recent calls. */
  healthy: {
    /** In [0, 1]. */
    successRate: number;
    p50LatencyMs: number;
    /** Calls behind the numbers; below `minSamples` the provider gets the benefit of the doubt. */
    samples: number;
  };
  /** What trusted ERC-8004 clients said about it (average score 0..100 over `count` feedback), when known. */
  reputation?: { score: number; count: number };
  /** Its bond in the market (token units, not counting what is being withdrawn), when read. */
  bond?: bigint;
};

/** Estimated gas units of each on-chain action. */
export type GasEstimates = {
  harvest: bigint;
  open: bigint;
  topUp: bigint;
  requestClose: bigint;
  finalize: bigint;
  refillGas: bigint;
};

/** Everything the treasury policy looks at. Amounts are bigint token units (or wei), times unix seconds. */
export type TreasurySnapshot = {
  now: number;
  /** Yield harvestable from the vault now. */
  pendingYield: bigint;
  /** Payment token held by the TBA. */
  tbaBalance: bigint;
  /** Wei held by the TBA. */
  tbaEthBalance: bigint;
  /** Wei held by the session key (pays gas with transport "direct"). */
  sessionKeyEthBalance: bigint;
  gasPriceWei: bigint;
  gas: GasEstimates;
  /** Payment token units per 1 ETH, to value gas. */
  ethPriceInToken: bigint;
  channels: readonly ChannelSnapshot[];
  providers: readonly ProviderSnapshot[];
  /** Recent compute spend, token units per hour. */
  burnRatePerHour: bigint;
  runwayTargetHours: number;
  /** Never harvest less than this. */
  minHarvest: bigint;
  caps: {
    /** What the daily compute budget still allows today, token units. */
    dailyBudgetRemaining: bigint;
  };
  /** The agent's community, when it has one (self-owned): what the policy may ask it for. */
  governance?: GovernanceSnapshot;
};

/** A proposal the agent filed, as the treasury weighs asking again. */
export type AgentProposalSnapshot = {
  /** Its tag's kind (`renewSession`, `trustProvider`, `charter`), undefined when untagged. */
  kind: string | undefined;
  /** Pending, active, succeeded or queued: the community has not decided (or not executed) yet. */
  open: boolean;
  /** Unix seconds its voting starts (the proposal's time plus the voting delay). */
  snapshot: number;
  /** For `trustProvider`: the provider asked for. */
  provider: Address | undefined;
};

/** The session and proposal state the treasury policy reads to ask its community. */
export type GovernanceSnapshot = {
  /** Unix seconds the session key's window ends. */
  sessionValidUntil: number;
  /** Proposals the agent filed this charter period (the governor's count). */
  filedThisPeriod: number;
  /** The charter's proposals per period. */
  proposalsPerPeriod: number;
  /** The charter's period, seconds. */
  proposalPeriod: number;
  /** The agent's proposals, newest first. */
  proposals: readonly AgentProposalSnapshot[];
};

/** Tuning of the treasury policy (from the config). */
export type TreasuryParams = {
  transport: 'direct' | 'userop';
  /** For the reasons' numbers. */
  token: { symbol: string; decimals: number };
  /** Harvest when pending yield ≥ this × the harvest's gas cost. */
  harvestGasMultiple: bigint;
  /** Below this runway, harvest as soon as the yield covers the gas. */
  criticalRunwayHours: number;
  /** Token units the TBA always keeps. */
  reserve: bigint;
  /** Smallest deposit or top-up worth a transaction. */
  minDeposit: bigint;
  /** A channel unused this long is closed. */
  idleCloseHours: number;
  /** Refill the session key below this (wei). */
  sessionGasFloor: bigint;
  /** Refill the session key up to this (wei). */
  sessionGasTarget: bigint;
  /** Wei the TBA keeps for itself when refilling the session key. */
  tbaEthReserve: bigint;
  minSuccessRate: number;
  maxP50LatencyMs: number;
  /** Fewer calls than this: health not judged yet. */
  minSamples: number;
  /** Request shape used to compare prices. */
  typicalRequest: { tokensIn: bigint; tokensOut: bigint };
  /** Least bond (token units) a provider must hold in the market to be funded; absent or 0, no check. */
  minProviderBond?: bigint;
  /**
   * File the session-renewal proposal once the session ends within this many seconds (default a
   * week: voting delay, voting period and the timelock's delay must all fit before the end).
   */
  sessionRenewalLeadSeconds?: number;
};

/** One thing the treasury decided, with the reason in words and numbers. */
export type TreasuryDecision =
  | { action: 'harvest'; params: { pendingYield: bigint }; reason: string }
  | { action: 'open'; params: { provider: Address; amount: bigint }; reason: string }
  | { action: 'top_up'; params: { channelId: bigint; provider: Address; amount: bigint }; reason: string }
  | { action: 'close'; params: { channelId: bigint; provider: Address }; reason: string }
  | { action: 'request_close'; params: { channelId: bigint; provider: Address }; reason: string }
  | { action: 'finalize'; params: { channelId: bigint }; reason: string }
  | { action: 'refill_gas'; params: { amountWei: bigint }; reason: string }
  /** Ask the community (a governance proposal) for what the charter does not allow yet. */
  | { action: 'propose_to_community'; params: { ask: 'renewSession' } | { ask: 'trustProvider'; provider: Address }; reason: string }
  | { action: 'wait'; params: Record<string, never>; reason: string };

/** The action names. */
export type TreasuryAction = TreasuryDecision['action'];
