import type { IncomingMessage, ServerResponse } from 'node:http';
import { maxCost, MaxTokensInvalidError } from '../../chain/voucher/maxCost.js';
import { protocolHeaders } from '../../protocol/protocolHeaders.js';
import { authorizeVoucher } from './authorizeVoucher.js';
import { HttpError } from './HttpError.js';
import type { ProviderContext } from './ProviderContext.js';
import { readChatRequest } from './readChatRequest.js';
import { refuseUnpaid } from './refuseUnpaid.js';
import { servePlain } from './servePlain.js';
import { serveStream } from './serveStream.js';
import { serveX402 } from './serveX402.js';
import { upstreamRequest } from './upstreamRequest.js';

/**
 * `POST /v1/chat/completions`: read and price the request, then take its payment (a voucher held in
 * the ledger as maxCost, or x402) and serve it whole or streamed. Nothing reaches the model before
 * it is paid for.
 *
 * @param context The provider.
 * @param req The request.
 * @param res The response.
 * @example if (path === providerPaths.chatCompletions) return serveChatCompletion(context, req, res);
 */
export async function serveChatCompletion(context: ProviderContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Listen from the start: a client gone before the upstream call must not be served (nor charged).
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const { text, request } = await readChatRequest(context, req);
  let bound: ReturnType<typeof maxCost>;
  try {
    bound = maxCost(request, context.terms);
  } catch (error) {
    if (error instanceof MaxTokensInvalidError) throw new HttpError(400, 'invalid_request_error', 'invalid_max_tokens', error.shortMessage);
    throw error;
  }
  // Before any voucher is taken: what cannot be priced is refused, what is unknown is dropped.
  const upstream = upstreamRequest(request, bound.maxTokens);
  const voucherHeader = req.headers[protocolHeaders.voucher];
  if (context.x402 && !voucherHeader) {
    if (req.headers[protocolHeaders.x402Payment] || req.headers[protocolHeaders.x402PaymentV1]) return serveX402(context, req, res, request, upstream, abort.signal);
    return refuseUnpaid(context, req, res, request);
  }
  const voucher = await authorizeVoucher(context, voucherHeader);
  if (abort.signal.aborted) return;
  const reservation = await context.store.reserve({ voucher, amount: bound.cost, model: request.model });
  const paid = { upstream, reservation, voucher, promptBound: bound.promptTokens, signal: abort.signal, requestHash: context.receipts?.hashText(text) };
  return request.stream === true ? serveStream(context, res, paid) : servePlain(context, res, paid);
}
