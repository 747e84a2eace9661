import type { Address } from 'viem';

/** The names of the writes the guarded executor knows. */
export type GuardedActionName =
  | 'harvest'
  | 'open'
  | 'top_up'
  | 'request_close'
  | 'finalize'
  | 'refill_gas'
  // ERC-8004: the agent's registration file, and its feedback on providers.
  | 'publish_identity'
  | 'rate_provider'
  // Governance: a proposal to the agent's community.
  | 'propose'
  // x402: a deposit into a batch-settlement channel to a trusted seller.
  | 'x402_deposit'
  // Bonds: claims on a lying provider's bond from its signed receipts (guard/checkBondClaim.ts).
  | 'accuse_over_redemption'
  | 'slash_over_redemption'
  | 'prove_double_signing';

/**
 * The code-level policy, checked before anything is signed (the session key's on-chain policy is
 * the second wall). It comes from the config and code, never from memory or from the model.
 */
export type GuardPolicy = {
  /** Actions the executor may perform. */
  allowedActions: readonly GuardedActionName[];
  /** Providers channels may be opened with or topped up. */
  trustedProviders: readonly Address[];
  /** Largest single deposit or top-up, token units. */
  maxDepositPerCall: bigint;
  /** Deposits and top-ups over the last 24 hours (pending included), token units. */
  maxDepositPerDay: bigint;
  /** Largest gas refill of the session key, wei. */
  maxRefillWei: bigint;
  /**
   * Proposals the agent may file to its community per charter period (the charter's
   * `proposalsPerPeriod`; the governor refuses more too). No proposals when omitted.
   */
  proposalsPerPeriod?: number;
  /** x402 sellers (channel receivers) the agent may deposit to in the x402 escrow (none by default). */
  trustedX402Sellers?: readonly Address[];
  /** Least bond (token units) a provider must hold in the market to open or top up a channel with it; absent or 0, no check. */
  minProviderBond?: bigint;
  /** Longest withdraw delay an x402 channel may lock the agent's deposit for, seconds (a day by default). */
  maxX402WithdrawDelay?: number;
};
