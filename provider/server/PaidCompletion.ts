import type { Hex } from 'viem';
import type { SignedVoucher } from '../../chain/voucher/voucherTypes.js';
import type { BackendRequest } from '../backends/Backend.js';
import type { Reservation } from '../store/ProviderStore.js';

/** One voucher-paid completion being served: what goes upstream and what the ledger holds for it. */
export type PaidCompletion = {
  /** The request sent to the backend. */
  upstream: BackendRequest;
  /** The maxCost held in the ledger. */
  reservation: Reservation;
  /** The voucher it was served under. */
  voucher: SignedVoucher;
  /** The prompt's token bound (what an upstream that reports no usage is charged for the prompt). */
  promptBound: bigint;
  /** Aborted when the client leaves. */
  signal: AbortSignal;
  /** keccak256 of the request body, when receipts are signed. */
  requestHash: Hex | undefined;
};
