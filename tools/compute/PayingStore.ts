import type { Address } from 'viem';
import type { SignedReceipt } from '../../chain/receipt/receiptTypes.js';

/** What the payer knows about one channel. */
export type PayingChannelState = {
  channelId: bigint;
  /** The channel's provider. */
  provider: Address;
  /** The highest `spent` the provider has reported (x-y2c-spent, the stream's final `y2c`, or GET /y2c/channels/:id). */
  spent: bigint;
  /** The highest amount this payer has signed for the channel. */
  authorized: bigint;
};

/** One paid call. */
export type PaidCall = {
  channelId: bigint;
  provider: Address;
  model: string;
  /** What the provider charged (x-y2c-cost), or the reservation when the outcome is unknown. */
  cost: bigint;
  /** The most it could have cost (signed on top of spent). */
  maxCost: bigint;
  /** Channel total after the call, as reported. */
  spent: bigint;
  /** Unix ms. */
  at: number;
  /** False when the call failed (the provider answered 5xx, or could not be reached): it counts against the provider's health. Default true. */
  ok?: boolean | undefined;
  /** Why it failed. */
  error?: string | undefined;
  /** The member it was made for (the cost meter sets it). */
  member?: Address | undefined;
  /** How long it took, ms (the cost meter sets it). */
  latencyMs?: number | undefined;
};

/** One paid call in flight: opened before its voucher is signed, closed by `record` or `cancel`. */
export type PaidCallTicket = {
  /** Records the call; its cost counts towards the task that opened the ticket. */
  record: (call: PaidCall) => Promise<void>;
  /** Nothing was paid (refused before sending, or the provider answered with an error). */
  cancel: () => void;
};

/**
 * The paying client's state, kept behind this small interface so the agent's SQLite memory can back
 * it (tools/compute/createSqlitePayingStore.ts is a standalone implementation). Calls are synchronous
 * or async; the client awaits them.
 */
export type PayingStore = {
  /** A channel's state, if known. */
  getChannel: (channelId: bigint) => PayingChannelState | undefined | Promise<PayingChannelState | undefined>;
  /** Creates or replaces a channel's state. */
  saveChannel: (state: PayingChannelState) => void | Promise<void>;
  /** Every known channel. */
  channels: () => PayingChannelState[] | Promise<PayingChannelState[]>;
  /** Records one paid call. */
  recordCall: (call: PaidCall) => void | Promise<void>;
  /** Sum of call costs since a time (unix ms), for the daily cap. */
  costSince: (sinceMs: number) => bigint | Promise<bigint>;
  /**
   * Optional: opens a call that may cost up to `maxCost`, before its voucher is signed, so a meter
   * can attribute it to the task that made it (whatever context its stream ends in) and refuse it
   * past that task's budget (by throwing). The paying fetch records through the ticket when given.
   */
  openCall?: (maxCost: bigint) => PaidCallTicket;
  /** Marks a provider untrusted (the client refuses to pay it from then on). */
  markUntrusted: (provider: Address, reason: string) => void | Promise<void>;
  /** Why a provider is untrusted, or undefined if it is not. */
  untrusted: (provider: Address) => string | undefined | Promise<string | undefined>;
  /** Optional: keeps a verified provider receipt (the payer's proof of what it was charged). */
  recordReceipt?: (receipt: SignedReceipt & { provider: Address }) => void | Promise<void>;
  /** Optional: the receipt held for a channel's step (its total before the charge), to catch a double signature. */
  receiptAtStep?: (channelId: bigint, step: bigint) => SignedReceipt | undefined | Promise<SignedReceipt | undefined>;
};
