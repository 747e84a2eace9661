import type { IncomingMessage, ServerResponse } from 'node:http';
import { protocolHeaders } from '../../protocol/protocolHeaders.js';
import type { ProviderContext } from './ProviderContext.js';
import { sendJson } from '../../core/sendJson.js';
import { withoutContentHeaders } from './withoutContentHeaders.js';

/**
 * Answers an unpaid request on a provider that also sells over x402: the y2c 402 body
 * (`voucher_missing`) and an x402 v2 offer in `PAYMENT-REQUIRED`, so either kind of client can pay.
 *
 * @param context The provider (its x402 seller).
 * @param req The request.
 * @param res The response.
 * @param request The parsed body (the offer is priced on it).
 * @example if (x402 && !voucherHeader) return refuseUnpaid(context, req, res, request);
 */
export async function refuseUnpaid(context: ProviderContext, req: IncomingMessage, res: ServerResponse, request: Record<string, unknown>): Promise<void> {
  const offer = context.x402 ? await context.x402.process(req, request) : undefined;
  // Only x402's own headers: the body and its content type are ours.
  const headers = offer?.type === 'payment-error' ? withoutContentHeaders(offer.response.headers) : {};
  const message = `Send a voucher in the ${protocolHeaders.voucher} header (channelId:authorized:signature), or pay with x402 (PAYMENT-REQUIRED header).`;
  sendJson(res, 402, { error: { type: 'payment_required', code: 'voucher_missing', message } }, headers);
}
