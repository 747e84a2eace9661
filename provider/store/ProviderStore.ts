import type { Hex } from 'viem';
import type { ReceiptWire } from '../../chain/receipt/receiptTypes.js';
import type { SignedVoucher } from '../../chain/voucher/voucherTypes.js';

/** What the ledger knows about one channel. */
export type ChannelLedger = {
  channelId: bigint;
  /** Total metered and final. */
  spent: bigint;
  /** Total held by requests being served (by every frontend). */
  reserved: bigint;
  /** The best voucher's amount (0 when none). */
  authorized: bigint;
  /** The best voucher's signature. */
  signature: Hex | undefined;
  /** Highest amount confirmed redeemed on chain by this provider. */
  redeemed: bigint;
};

/** A held reservation. */
export type Reservation = { id: number; channelId: bigint; amount: bigint; spentBefore: bigint };

/** One recorded redemption. */
export type RedemptionRecord = { txHash: Hex; channelId: bigint; amount: bigint; paid: bigint; status: 'confirmed' | 'skipped' | 'reverted'; at: number };

/** One charge row. */
export type ChargeRecord = {
  channelId: bigint;
  model: string;
  outcome: 'served' | 'aborted' | 'upstream_failed' | 'crashed';
  reserved: bigint;
  cost: bigint;
  promptTokens: number | null;
  completionTokens: number | null;
  spentAfter: bigint;
};

/** What a request's outcome charges. */
export type SettleParameters = { cost: bigint; promptTokens: number | null; completionTokens: number | null; outcome: 'served' | 'aborted' };

/**
 * The provider's ledger, whichever database holds it (SQLite for one node, PostgreSQL for a fleet of
 * frontends). Every method is one transaction; per channel they are serialized by the database.
 */
export type ProviderStore = {
  /** `sqlite` or `postgres`. */
  kind: 'sqlite' | 'postgres';
  /** The ledger of one channel (zeros when unknown). */
  channel: (channelId: bigint) => Promise<ChannelLedger>;
  /**
   * Accepts a voucher and holds `amount` against it, atomically and durably.
   * @throws {PaymentRequiredError} `voucher_stale` or `voucher_insufficient`.
   */
  reserve: (parameters: { voucher: SignedVoucher; amount: bigint; model: string }) => Promise<Reservation>;
  /** Turns a reservation into a charge of `min(cost, reserved)`; returns what was charged and the new total. */
  settle: (reservation: Reservation, parameters: SettleParameters) => Promise<{ cost: bigint; spent: bigint }>;
  /** Drops a reservation, charging nothing; its voucher becomes usable again (it paid for nothing). */
  release: (reservation: Reservation, outcome: 'upstream_failed' | 'crashed') => Promise<{ spent: bigint }>;
  /**
   * Releases (charging nothing) every reservation held by a frontend that is gone: for SQLite, any
   * not made by this process; for PostgreSQL, those whose frontend no longer holds its lock. Returns how many.
   */
  releaseAbandoned: () => Promise<number>;
  /** Whether this frontend is the settlement leader (it alone redeems). SQLite: always. */
  lead: () => Promise<boolean>;
  /** Channels whose `spent` is above what has been redeemed, with their best voucher. */
  outstanding: () => Promise<ChannelLedger[]>;
  /** Records a redemption. */
  recordRedemption: (record: Omit<RedemptionRecord, 'at'>) => Promise<void>;
  /** Redemptions, oldest first (of one channel, or all). */
  redemptions: (channelId?: bigint) => Promise<RedemptionRecord[]>;
  /** Charges of one channel, oldest first. */
  charges: (channelId: bigint) => Promise<ChargeRecord[]>;
  /** Keeps a receipt this provider signed. */
  recordReceipt: (receipt: ReceiptWire) => Promise<void>;
  /** The receipt with the highest `spentAfter` signed for a channel. */
  latestReceipt: (channelId: bigint) => Promise<ReceiptWire | undefined>;
  /** Closes the database (a PostgreSQL frontend's locks go with its connections). */
  close: () => Promise<void>;
};
