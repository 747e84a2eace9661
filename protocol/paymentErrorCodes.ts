/**
 * Why the provider refused a request for payment (HTTP 402, body `{ error: { type: 'payment_required', code, message } }`):
 * - `voucher_missing`: no `x-y2c-voucher` header (nor an x402 payment);
 * - `voucher_malformed`: not `channelId:authorized:signature` in the strict form;
 * - `voucher_invalid_signature`: the signature does not recover to the channel's signer;
 * - `voucher_stale`: `authorized` is not above what the channel has already spent (a lower voucher);
 * - `voucher_insufficient`: `authorized − spent − reserved < maxCost(request)`; a voucher may be sent
 *   again and again: it pays for requests while it covers them, so it never buys more than it authorizes;
 * - `voucher_exceeds_deposit`: `authorized` is above the channel's deposit;
 * - `channel_not_found`, `channel_wrong_provider`, `channel_closing` (close requested), `channel_closed`.
 */
export const paymentErrorCodes = [
  'voucher_missing',
  'voucher_malformed',
  'voucher_invalid_signature',
  'voucher_stale',
  'voucher_insufficient',
  'voucher_exceeds_deposit',
  'channel_not_found',
  'channel_wrong_provider',
  'channel_closing',
  'channel_closed',
] as const;

/** One of {@link paymentErrorCodes}. */
export type PaymentErrorCode = (typeof paymentErrorCodes)[number];

/** The 402 codes of x402 payments (the y2c error body around x402's own `PAYMENT-REQUIRED` header). */
export const x402ErrorCodes = ['x402_payer_authorizer_required', 'x402_payment_invalid', 'x402_settlement_failed'] as const;

/** The 402 codes after which the paying fetch re-reads the provider's ledger and signs again, once. */
export const reconcilablePaymentCodes: ReadonlySet<string> = new Set<PaymentErrorCode>(['voucher_stale', 'voucher_insufficient']);
