import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodePaymentRequiredHeader } from '@x402/core/http';
import { meterCost } from '../../chain/voucher/meterCost.js';
import { protocolHeaders } from '../../protocol/protocolHeaders.js';
import type { Backend, BackendRequest } from '../backends/Backend.js';
import type { X402Verified } from '../x402/createX402Seller.js';
import { HttpError } from './HttpError.js';
import type { ProviderContext } from './ProviderContext.js';
import { sendJson } from '../../core/sendJson.js';
import { upstreamFailure } from './upstreamFailure.js';
import { withoutContentHeaders } from './withoutContentHeaders.js';

/**
 * Serves a request paid with x402 (`PAYMENT-SIGNATURE`): verify, serve, meter, then settle. A
 * batch-settlement voucher is charged the metered cost and committed only after the completion was
 * produced; a failed completion cancels the payment (nothing charged, voucher state unchanged).
 *
 * @param context The provider (its x402 seller, backend, terms).
 * @param req The request.
 * @param res The response.
 * @param request The parsed body.
 * @param upstream What goes to the backend.
 * @param signal Aborted when the client leaves.
 * @example if (req.headers['payment-signature']) return serveX402(context, req, res, request, upstream, signal);
 */
export async function serveX402(
  context: ProviderContext,
  req: IncomingMessage,
  res: ServerResponse,
  request: Record<string, unknown>,
  upstream: BackendRequest,
  signal: AbortSignal,
): Promise<void> {
  const { x402, backend, terms, log } = context;
  if (!x402) throw new HttpError(500, 'server_error', 'internal_error', 'x402 is not enabled.');
  const refusal = x402.refusal(req);
  // Refused before the x402 server sees it: nothing is verified, deposited or served.
  if (refusal) return sendJson(res, 402, { error: { type: 'payment_required', code: 'x402_payer_authorizer_required', message: refusal } });
  const result = await x402.process(req, request);
  if (result.type === 'no-payment-required') throw new HttpError(500, 'server_error', 'internal_error', 'The x402 route is not protected.');
  if (result.type === 'payment-error') {
    const body = typeof result.response.body === 'object' && result.response.body !== null ? (result.response.body as Record<string, unknown>) : {};
    const required = Object.entries(result.response.headers).find(([name]) => name.toLowerCase() === protocolHeaders.x402Required)?.[1];
    const reason = typeof body.error === 'string' ? body.error : (required ? safeDecodeReason(required) : undefined) ?? 'the payment was refused';
    return sendJson(res, result.response.status, { ...body, error: { type: 'payment_required', code: 'x402_payment_invalid', message: `x402: ${reason}.` } }, withoutContentHeaders(result.response.headers));
  }
  if (request.stream === true) {
    await x402.cancel(result, 400);
    throw new HttpError(400, 'invalid_request_error', 'x402_stream_unsupported', 'Streaming is paid with the y2c voucher header; x402 requests are served whole (stream: false).');
  }
  let completion: Awaited<ReturnType<Backend['complete']>>;
  try {
    completion = await backend.complete(upstream, signal);
  } catch (error) {
    await x402.cancel(result, 502);
    throw upstreamFailure(error);
  }
  if (signal.aborted) {
    await x402.cancel(result, 499);
    return;
  }
  const metered = meterCost({ promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens }, terms);
  const isBatch = result.paymentRequirements.scheme === 'batch-settlement';
  const settled = await x402.settle(result as X402Verified, metered, req, request);
  if (!settled.success) {
    log.warn('x402 settlement failed', { scheme: result.paymentRequirements.scheme, reason: settled.errorReason });
    const message = `x402 settlement failed: ${settled.errorReason}${settled.errorMessage ? ` (${settled.errorMessage})` : ''}. Nothing was served.`;
    return sendJson(res, 402, { error: { type: 'payment_required', code: 'x402_settlement_failed', message } }, settled.headers);
  }
  const charged = isBatch ? metered : BigInt(result.paymentRequirements.amount);
  log.info('served', { x402: result.paymentRequirements.scheme, model: upstream.model, cost: charged, transaction: settled.transaction });
  sendJson(res, 200, { ...completion.body, usage: completion.body.usage ?? completion.usage }, { ...settled.headers, [protocolHeaders.cost]: charged.toString() });
}

/** The `error` an x402 `PAYMENT-REQUIRED` header carries (why a payment was refused), if any. */
function safeDecodeReason(header: string): string | undefined {
  try {
    const reason = (decodePaymentRequiredHeader(header) as { error?: unknown }).error;
    return typeof reason === 'string' ? reason : undefined;
  } catch {
    return undefined;
  }
}
