import { AgentError, type AgentErrorParameters } from '../core/AgentError.js';

/**
 * Why a request was refused for payment (HTTP 402, body `{ error: { type: 'payment_required', code, message } }`):
 * - `voucher_missing`: no `x-y2c-voucher` header;
 * - `voucher_malformed`: not `channelId:authorized:signature` in the strict form;
 * - `voucher_invalid_signature`: the signature does not recover to the channel's signer;
 * - `voucher_replayed`: this exact voucher already paid for a request (vouchers are single-use);
 * - `voucher_stale`: `authorized` is not above what the channel has already spent (a lower voucher);
 * - `voucher_insufficient`: `authorized − spent − reserved < maxCost(request)`;
 * - `voucher_exceeds_deposit`: `authorized` is above the channel's deposit;
 * - `channel_not_found`, `channel_wrong_provider`, `channel_closing` (close requested), `channel_closed`.
 */
export type PaymentErrorCode =
  | 'voucher_missing'
  | 'voucher_malformed'
  | 'voucher_invalid_signature'
  | 'voucher_replayed'
  | 'voucher_stale'
  | 'voucher_insufficient'
  | 'voucher_exceeds_deposit'
  | 'channel_not_found'
  | 'channel_wrong_provider'
  | 'channel_closing'
  | 'channel_closed';

/** The request cannot be served because its voucher does not pay for it. */
export class PaymentRequiredError extends AgentError {
  override name = 'PaymentRequiredError' as const;
  /** Which rule refused it. */
  readonly code: PaymentErrorCode;

  constructor(code: PaymentErrorCode, shortMessage: string, parameters: AgentErrorParameters = {}) {
    super(shortMessage, { docsPath: '#vouchers', ...parameters });
    this.code = code;
  }
}
