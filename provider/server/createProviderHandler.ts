import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodePaymentRequiredHeader } from '@x402/core/http';
import { isAddressEqual, type Address } from 'viem';
import type { CreateVoucherVerifierReturnType } from '../../chain/voucher/createVoucherVerifier.js';
import { maxCost, MaxTokensInvalidError, type MaxCostTerms } from '../../chain/voucher/maxCost.js';
import { meterCost } from '../../chain/voucher/meterCost.js';
import { VoucherMalformedError } from '../../chain/voucher/parseVoucherHeader.js';
import type { ReceiptWire } from '../../chain/receipt/receiptTypes.js';
import type { SignedVoucher } from '../../chain/voucher/voucherTypes.js';
import type { Backend, BackendRequest, BackendUsage, ChatCompletionChunk } from '../backends/Backend.js';
import { UpstreamError } from '../backends/UpstreamError.js';
import type { CreateChannelReaderReturnType } from '../chain/createChannelReader.js';
import type { Logger } from '../Logger.js';
import { PaymentRequiredError } from '../PaymentRequiredError.js';
import type { ProviderStore, Reservation } from '../store/ProviderStore.js';
import type { CreateReceiptSignerReturnType } from './createReceiptSigner.js';
import { HttpError } from './HttpError.js';
import { readBody } from './readBody.js';
import { sendJson } from './sendJson.js';
import { upstreamRequest } from './upstreamRequest.js';
import type { CreateX402SellerReturnType, X402Verified } from '../x402/createX402Seller.js';
import { matchChannelPath } from '../../protocol/matchChannelPath.js';
import { parseMessage } from '../../protocol/parseMessage.js';
import { ProtocolError } from '../../protocol/ProtocolError.js';
import { protocolHeaders } from '../../protocol/protocolHeaders.js';
import { providerPaths } from '../../protocol/providerPaths.js';
import { chatCompletionRequestSchema, type ChannelStateWire, type ChatCompletionRequest, type ProviderInfoWire, type StreamSettlementWire } from '../../protocol/schemas.js';

/** Parameters of {@link createProviderHandler}. */
export type CreateProviderHandlerParameters = {
  /** The provider's address (channels must name it). */
  provider: Address;
  /** The ComputeMarket contract. */
  market: Address;
  /** Chain id. */
  chainId: number;
  /** Prices and the default completion cap. */
  terms: MaxCostTerms;
  /** Largest request body accepted (bytes). */
  maxBodyBytes: number;
  /** The model behind the provider. */
  backend: Backend;
  /** The ledger. */
  store: ProviderStore;
  /** Channel reader. */
  channels: CreateChannelReaderReturnType;
  /** Voucher verifier for this market. */
  verifier: CreateVoucherVerifierReturnType;
  /** Logger. */
  log: Logger;
  /** The x402 v2 seller (issue 14): unpaid requests get a `PAYMENT-REQUIRED` offer too, `PAYMENT-SIGNATURE` pays. */
  x402?: CreateX402SellerReturnType;
  /** Signs a receipt for every response served (none when absent). */
  receipts?: CreateReceiptSignerReturnType;
};

/** Return type of {@link createProviderHandler}: a node:http request listener. */
export type CreateProviderHandlerReturnType = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The provider's HTTP API: OpenAI-compatible `GET /v1/models` and `POST /v1/chat/completions`
 * (plain and `stream: true`), `GET /y2c/info` and `GET /y2c/channels/:id`, paid by the
 * `x-y2c-voucher` header. See provider/README.md for the exact contract.
 *
 * @param parameters Identity, terms, backend, ledger, chain reader and verifier.
 * @returns The request listener.
 * @example createServer(createProviderHandler({ ... })).listen(8787, '127.0.0.1');
 */
export function createProviderHandler(parameters: CreateProviderHandlerParameters): CreateProviderHandlerReturnType {
  const { provider, market, chainId, terms, maxBodyBytes, backend, store, channels, verifier, log, x402, receipts } = parameters;
  const models = new Set(backend.models);
  const modelInfo = Object.fromEntries(backend.models.map((id) => [id, backend.modelInfo?.[id] ?? { tools: true }]));
  const info: ProviderInfoWire = {
    provider,
    market,
    chainId,
    priceInPerMTok: terms.priceInPerMTok.toString(),
    priceOutPerMTok: terms.priceOutPerMTok.toString(),
    defaultMaxTokens: terms.defaultMaxTokens.toString(),
    maxBodyBytes,
    models: [...backend.models],
    modelInfo,
    backend: backend.kind,
    voucherHeader: protocolHeaders.voucher,
    ...(x402 ? { x402: { version: 2, network: x402.network, schemes: ['batch-settlement', 'exact'] } } : {}),
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === providerPaths.models) {
      const data = backend.models.map((id) => {
        const { contextLength, tools } = modelInfo[id] ?? { tools: true };
        return { id, object: 'model', created: 0, owned_by: provider, ...(contextLength ? { context_length: contextLength } : {}), supports_tools: tools };
      });
      return sendJson(res, 200, { object: 'list', data });
    }
    if (req.method === 'GET' && path === providerPaths.info) return sendJson(res, 200, info);
    const channelId = matchChannelPath(path);
    if (req.method === 'GET' && channelId !== undefined) {
      const ledger = await store.channel(channelId);
      const state: ChannelStateWire = {
        channelId: ledger.channelId.toString(),
        spent: ledger.spent.toString(),
        authorized: ledger.authorized.toString(),
        reserved: ledger.reserved.toString(),
        redeemed: ledger.redeemed.toString(),
      };
      return sendJson(res, 200, state);
    }
    if (req.method === 'POST' && path === providerPaths.chatCompletions) return chatCompletions(req, res);
    throw new HttpError(404, 'invalid_request_error', 'not_found', `No route ${req.method} ${path}.`);
  }

  async function chatCompletions(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Listen from the start: a client gone before the upstream call must not be served (nor charged).
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const text = await readBody(req, maxBodyBytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'invalid_request_error', 'invalid_json', 'The request body is not valid JSON.');
    }
    let request: ChatCompletionRequest;
    try {
      request = parseMessage(chatCompletionRequestSchema, 'chat-completions request', body);
    } catch (error) {
      if (error instanceof ProtocolError) throw new HttpError(400, 'invalid_request_error', 'invalid_request', error.shortMessage);
      throw error;
    }
    if (!models.has(request.model)) {
      throw new HttpError(404, 'invalid_request_error', 'model_not_found', `The model ${request.model} is not served here.`, {
        details: `models: ${[...models].join(', ')}`,
      });
    }
    let bound: ReturnType<typeof maxCost>;
    try {
      bound = maxCost(request, terms);
    } catch (error) {
      if (error instanceof MaxTokensInvalidError) throw new HttpError(400, 'invalid_request_error', 'invalid_max_tokens', error.shortMessage);
      throw error;
    }
    // Before any voucher is taken: what cannot be priced is refused, what is unknown is dropped.
    const upstream = upstreamRequest({ ...request, model: request.model, messages: request.messages }, bound.maxTokens);
    const voucherHeader = req.headers[protocolHeaders.voucher];
    if (x402 && !voucherHeader && (req.headers[protocolHeaders.x402Payment] || req.headers[protocolHeaders.x402PaymentV1])) {
      return paidByX402(req, res, request, upstream, abort.signal);
    }
    if (x402 && !voucherHeader) {
      // Unpaid: the y2c error body, and an x402 v2 offer in PAYMENT-REQUIRED for any x402 client.
      const offer = await x402.process(req, request);
      // Only x402's own headers: the body and its content type are ours.
      const headers = offer.type === 'payment-error' ? withoutContentHeaders(offer.response.headers) : {};
      const message = `Send a voucher in the ${protocolHeaders.voucher} header (channelId:authorized:signature), or pay with x402 (PAYMENT-REQUIRED header).`;
      return sendJson(res, 402, { error: { type: 'payment_required', code: 'voucher_missing', message } }, headers);
    }
    const voucher = await authorize(voucherHeader);
    if (abort.signal.aborted) return;
    const reservation = await store.reserve({ voucher, amount: bound.cost, model: request.model });
    const requestHash = receipts?.hashText(text);
    if (request.stream === true) return stream(res, upstream, reservation, voucher, bound.promptTokens, abort.signal, requestHash);
    return plain(res, upstream, reservation, voucher, abort.signal, requestHash);
  }

  /**
   * Serves a request paid with x402 (`PAYMENT-SIGNATURE`): verify, serve, meter, then settle. A
   * batch-settlement voucher is charged the metered cost and committed only after the completion was
   * produced; a failed completion cancels the payment (nothing charged, voucher state unchanged).
   */
  async function paidByX402(
    req: IncomingMessage,
    res: ServerResponse,
    request: Record<string, unknown>,
    upstream: BackendRequest,
    signal: AbortSignal,
  ): Promise<void> {
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

  async function authorize(header: string | string[] | undefined): Promise<SignedVoucher> {
    if (typeof header !== 'string' || header === '') {
      throw new PaymentRequiredError('voucher_missing', `Send a voucher in the ${protocolHeaders.voucher} header: channelId:authorized:signature.`);
    }
    let voucher: SignedVoucher;
    try {
      voucher = verifier.parse(header);
    } catch (error) {
      if (error instanceof VoucherMalformedError) throw new PaymentRequiredError('voucher_malformed', error.shortMessage, { details: error.details });
      throw error;
    }
    let channel = await channels.get(voucher.channelId);
    if (!channel) channel = await channels.get(voucher.channelId, { fresh: true });
    if (!channel) throw new PaymentRequiredError('channel_not_found', `Channel ${voucher.channelId} does not exist in the market.`);
    if (!isAddressEqual(channel.provider, provider)) {
      throw new PaymentRequiredError('channel_wrong_provider', `Channel ${voucher.channelId} pays ${channel.provider}, not this provider (${provider}).`);
    }
    if (channel.closed) throw new PaymentRequiredError('channel_closed', `Channel ${voucher.channelId} is closed.`);
    if (channel.closesAt !== 0n) {
      throw new PaymentRequiredError('channel_closing', `Channel ${voucher.channelId} is closing (its payer requested close); open or top up another.`);
    }
    try {
      verifier.verify(header, channel.signer);
    } catch {
      throw new PaymentRequiredError('voucher_invalid_signature', `The voucher is not signed by channel ${voucher.channelId}'s signer.`, {
        details: `expected ${channel.signer}; domain ComputeMarket/1, chain ${chainId}, market ${market}`,
      });
    }
    if (voucher.authorized > channel.deposit) {
      // A top-up may be newer than the cache: re-read before refusing.
      const fresh = await channels.get(voucher.channelId, { fresh: true });
      if (!fresh || voucher.authorized > fresh.deposit) {
        throw new PaymentRequiredError('voucher_exceeds_deposit', `The voucher authorizes ${voucher.authorized}, above the deposit of ${fresh?.deposit ?? channel.deposit}.`);
      }
      if (fresh.closesAt !== 0n || fresh.closed) throw new PaymentRequiredError('channel_closing', `Channel ${voucher.channelId} is closing.`);
    }
    return voucher;
  }

  async function plain(
    res: ServerResponse,
    request: BackendRequest,
    reservation: Reservation,
    voucher: SignedVoucher,
    signal: AbortSignal,
    requestHash: `0x${string}` | undefined,
  ): Promise<void> {
    let completion: Awaited<ReturnType<Backend['complete']>>;
    try {
      completion = await backend.complete(request, signal);
    } catch (error) {
      await store.release(reservation, 'upstream_failed');
      throw upstreamFailure(error);
    }
    const cost = meterCost({ promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens }, terms);
    const settled = await store.settle(reservation, {
      cost,
      promptTokens: completion.usage.prompt_tokens,
      completionTokens: completion.usage.completion_tokens,
      outcome: signal.aborted ? 'aborted' : 'served',
    });
    log.info('served', { channelId: reservation.channelId, model: request.model, cost: settled.cost, spent: settled.spent });
    const payload = { ...completion.body, usage: completion.body.usage ?? completion.usage };
    const headers: Record<string, string> = {
      [protocolHeaders.cost]: settled.cost.toString(),
      [protocolHeaders.spent]: settled.spent.toString(),
      [protocolHeaders.authorized]: voucher.authorized.toString(),
    };
    if (receipts && requestHash) {
      const receipt = await receipts.sign({
        channelId: reservation.channelId,
        requestHash,
        responseHash: receipts.hashText(JSON.stringify(payload)),
        model: request.model,
        tokensIn: completion.usage.prompt_tokens,
        tokensOut: completion.usage.completion_tokens,
        cost: settled.cost,
        spentAfter: settled.spent,
      });
      await store.recordReceipt(receipt);
      headers[protocolHeaders.receipt] = Buffer.from(JSON.stringify(receipt)).toString('base64url');
    }
    sendJson(res, 200, payload, headers);
  }

  async function stream(
    res: ServerResponse,
    request: BackendRequest,
    reservation: Reservation,
    voucher: SignedVoucher,
    promptBound: bigint,
    signal: AbortSignal,
    requestHash: `0x${string}` | undefined,
  ): Promise<void> {
    // A stream's receipt covers every byte written before its final event.
    const hasher = receipts && requestHash ? receipts.streamHasher() : undefined;
    const iterator = backend.stream(request, signal)[Symbol.asyncIterator]();
    let first: IteratorResult<ChatCompletionChunk>;
    try {
      first = await iterator.next();
    } catch (error) {
      await store.release(reservation, 'upstream_failed');
      throw upstreamFailure(error);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      [protocolHeaders.spent]: reservation.spentBefore.toString(),
      [protocolHeaders.reserved]: reservation.amount.toString(),
      [protocolHeaders.authorized]: voucher.authorized.toString(),
    });
    let usage: BackendUsage | undefined;
    let usageChunk: ChatCompletionChunk | undefined;
    let last: ChatCompletionChunk | undefined;
    let pieces = 0;
    const emit = (chunk: ChatCompletionChunk) => {
      if (chunk.usage) {
        usage = { prompt_tokens: chunk.usage.prompt_tokens, completion_tokens: chunk.usage.completion_tokens, total_tokens: chunk.usage.total_tokens };
        if (!chunk.choices.length) {
          // Held back: the usage chunk goes out last, after the ledger is written, with the final figures.
          usageChunk = chunk;
          return;
        }
      }
      last = chunk;
      for (const choice of chunk.choices) if (choice.delta.content || choice.delta.tool_calls) pieces++;
      const event = `data: ${JSON.stringify(chunk)}\n\n`;
      hasher?.update(event);
      res.write(event);
    };
    try {
      let step = first;
      while (!step.done) {
        emit(step.value);
        if (signal.aborted) break;
        step = await iterator.next();
      }
    } catch (error) {
      if (!signal.aborted) {
        await store.release(reservation, 'upstream_failed');
        const failure = upstreamFailure(error);
        log.warn('upstream failed mid-stream', { channelId: reservation.channelId, error: failure.message });
        res.end(`data: ${JSON.stringify({ error: { type: failure.type, code: failure.code, message: failure.shortMessage } })}\n\n`);
        return;
      }
    }
    if (signal.aborted) {
      // The client left mid-stream: it authorized the reservation and got part of the answer.
      await iterator.return?.(undefined).catch(() => undefined);
      const settled = await store.settle(reservation, { cost: reservation.amount, promptTokens: null, completionTokens: null, outcome: 'aborted' });
      // Never delivered, but signed and kept: the provider's receipt chain covers every charge it redeems.
      if (receipts && hasher && requestHash) {
        await store.recordReceipt(
          await receipts.sign({
            channelId: reservation.channelId,
            requestHash,
            responseHash: hasher.digest(),
            model: request.model,
            tokensIn: Number(promptBound),
            tokensOut: pieces,
            cost: settled.cost,
            spentAfter: settled.spent,
          }),
        );
      }
      log.warn('client left mid-stream', { channelId: reservation.channelId, charged: settled.cost });
      return;
    }
    // An upstream that reports no usage: the prompt bound and one token per streamed piece.
    const metered = usage ?? { prompt_tokens: Number(promptBound), completion_tokens: pieces, total_tokens: Number(promptBound) + pieces };
    const cost = meterCost({ promptTokens: metered.prompt_tokens, completionTokens: metered.completion_tokens }, terms);
    const settled = await store.settle(reservation, {
      cost,
      promptTokens: metered.prompt_tokens,
      completionTokens: metered.completion_tokens,
      outcome: 'served',
    });
    const y2c: StreamSettlementWire & { receipt?: ReceiptWire } = { cost: settled.cost.toString(), spent: settled.spent.toString(), authorized: voucher.authorized.toString() };
    if (receipts && hasher && requestHash) {
      y2c.receipt = await receipts.sign({
        channelId: reservation.channelId,
        requestHash,
        responseHash: hasher.digest(),
        model: request.model,
        tokensIn: metered.prompt_tokens,
        tokensOut: metered.completion_tokens,
        cost: settled.cost,
        spentAfter: settled.spent,
      });
      await store.recordReceipt(y2c.receipt);
    }
    const base = usageChunk ?? last;
    const final = { ...(base ?? { id: 'chatcmpl-y2c', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: request.model }), choices: [], usage: metered, y2c };
    log.info('served', { channelId: reservation.channelId, model: request.model, cost: settled.cost, spent: settled.spent, stream: true });
    res.end(`data: ${JSON.stringify(final)}\n\ndata: [DONE]\n\n`);
  }

  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      const failure =
        error instanceof HttpError
          ? error
          : error instanceof PaymentRequiredError
            ? new HttpError(402, 'payment_required', error.code, error.shortMessage, { details: error.details })
            : error instanceof UpstreamError
              ? upstreamFailure(error)
              : new HttpError(500, 'server_error', 'internal_error', 'The provider failed.', { cause: error });
      if (failure.status >= 500) log.error('request failed', { status: failure.status, error: error instanceof Error ? error.message : String(error) });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = failure.details ? `${failure.shortMessage} ${failure.details}` : failure.shortMessage;
      sendJson(res, failure.status, { error: { type: failure.type, code: failure.code, message } });
    });
  };
}

/** x402's response headers minus the content ones (`sendJson` sets those for the body it sends). */
function withoutContentHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-(type|length)$/i.test(name)));
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

function upstreamFailure(error: unknown): HttpError {
  const message = error instanceof UpstreamError ? error.shortMessage : 'The upstream model failed.';
  return new HttpError(502, 'upstream_error', 'upstream_failed', `${message} Nothing was charged.`, {
    cause: error,
    ...(error instanceof UpstreamError && error.details ? { details: error.details } : {}),
  });
}
