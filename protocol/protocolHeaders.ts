/**
 * The HTTP headers of the provider protocol (lowercase, as node:http presents them). The `y2c` ones
 * are the voucher channel's; the `x402` ones are x402 v2's (and v1's `X-PAYMENT`, still accepted).
 */
export const protocolHeaders = {
  /** Request: the voucher, `channelId:authorized:signature`. */
  voucher: 'x-y2c-voucher',
  /** Response: the provider's signed receipt of what it served (base64url JSON, {@link ReceiptWire}). */
  receipt: 'x-y2c-receipt',
  /** Response: what this request cost, in payment-token units. */
  cost: 'x-y2c-cost',
  /** Response: the channel's spent after this request (before it, on a stream's head). */
  spent: 'x-y2c-spent',
  /** Response: the voucher total the request was served under. */
  authorized: 'x-y2c-authorized',
  /** Response (streams): the maxCost held while the stream is served. */
  reserved: 'x-y2c-reserved',
  /** Response (member API): the member's compute quota left. */
  quotaRemaining: 'x-y2c-quota-remaining',
  /** x402 v2 request: the payment payload. */
  x402Payment: 'payment-signature',
  /** x402 v1 request: the payment payload. */
  x402PaymentV1: 'x-payment',
  /** x402 v2 response: the offer (402) or why a payment was refused. */
  x402Required: 'payment-required',
  /** x402 v2 response: the settlement (what the seller says it charged). */
  x402Response: 'payment-response',
} as const;
