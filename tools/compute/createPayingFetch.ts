import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex, isAddressEqual, keccak256, stringToBytes, type Account, type Address, type Hex } from 'viem';
import { formatVoucherHeader } from '../../chain/voucher/formatVoucherHeader.js';
import { maxCost } from '../../chain/voucher/maxCost.js';
import { signVoucher } from '../../chain/voucher/signVoucher.js';
import { reconcilablePaymentCodes } from '../../protocol/paymentErrorCodes.js';
import { parseMessage } from '../../protocol/parseMessage.js';
import { protocolHeaders } from '../../protocol/protocolHeaders.js';
import { channelPath, providerPaths } from '../../protocol/providerPaths.js';
import { channelStateSchema, providerInfoSchema, type ProviderInfo } from '../../protocol/schemas.js';
import { checkReportedFigures } from './checkReportedFigures.js';
import {
  DailyCapExceededError,
  PerRequestCapExceededError,
  ProviderInfoError,
  ProviderUntrustedError,
  UnpriceableRequestError,
} from './errors.js';
import { createX402Fetch, type X402BuyerOptions } from './createX402Fetch.js';
import type { PaidCall, PayingStore } from './PayingStore.js';
import { verifyReceipt } from './verifyReceipt.js';
import { nowMs } from '../../core/clock.js';

/** Parameters of {@link createPayingFetch}. */
export type CreatePayingFetchParameters = {
  /** The channels' signer (the agent's session key): a local account. */
  account: Account;
  /**
   * Finds (or opens, or tops up) a channel to `info.provider` that can cover `required` more on top
   * of what is spent, and returns its id. Called before every paid request.
   */
  channel: (request: { info: ProviderInfo; required: bigint }) => Promise<bigint>;
  /** Spending limits in payment-token units. */
  caps: {
    /** Refuse a request whose maxCost is above this. */
    perRequest: bigint;
    /** Refuse when the costs of the last 24 hours plus this request's maxCost would pass this. */
    daily: bigint;
  };
  /** Where channel state and calls are kept. */
  store: PayingStore;
  /** Only pay providers on this market (refuse others). */
  market?: Address;
  /** Only pay providers on this chain. */
  chainId?: number;
  /** The fetch to wrap (default global fetch). */
  fetch?: typeof fetch;
  /** Clock (ms). */
  now?: () => number;
  /**
   * x402 sellers: requests to these origins are paid over x402 `batch-settlement` (the TBA deposits through
   * the guarded executor, the session key signs vouchers) under the same caps, store and distrust list.
   */
  x402?: X402BuyerOptions;
};

/** Return type of {@link createPayingFetch}: a drop-in `fetch`. */
export type CreatePayingFetchReturnType = typeof fetch;

type ChannelMemory = {
  outstanding: bigint;
  queue: Promise<unknown>;
  /** maxCost of calls signed whose figures are not checked yet (plain and streamed). */
  inFlight: bigint;
  /** maxCost of every call ever signed on the channel (to know what was signed after a given call). */
  signedTotal: bigint;
};

/**
 * A `fetch` that pays a y2c provider for chat completions: for each `POST …/chat/completions` it
 * prices the request (`maxCost` at the provider's /y2c/info terms), refuses past the per-request and
 * daily caps, signs a voucher for exactly `spent + outstanding + maxCost` (`outstanding`: streams
 * still being served on the channel), sends it in `x-y2c-voucher`, and records what the provider
 * reports (`x-y2c-cost`/`x-y2c-spent`, or for streams the final chunk's `y2c` field, or
 * `GET /y2c/channels/:id` when a stream ends without it). A 402 saying the voucher is stale or short
 * (the client's view lagged, e.g. after a crash) is reconciled from `/y2c/channels/:id` and retried once.
 * Requests to the `x402` option's origins are paid over x402 v2 instead (see {@link createX402Fetch}).
 * Other requests pass through untouched.
 *
 * @param parameters Signer, channel callback, caps and store.
 * @returns The fetch, for `new ChatOpenAI({ configuration: { fetch } })` or `new OpenAI({ fetch })`.
 * @example
 * const fetch = createPayingFetch({ account: sessionKey, channel: ({ info, required }) => ensureChannel(info.provider, required), caps: { perRequest: 50_000n, daily: 5_000_000n }, store });
 * const model = new ChatOpenAI({ model: 'llama', apiKey: 'unused', configuration: { baseURL: providerUrl, fetch } });
 */
export function createPayingFetch(parameters: CreatePayingFetchParameters): CreatePayingFetchReturnType {
  const { account, channel, caps, store } = parameters;
  const baseFetch = parameters.fetch ?? globalThis.fetch;
  const now = parameters.now ?? nowMs;
  const infos = new Map<string, Promise<ProviderInfo>>();
  const memory = new Map<bigint, ChannelMemory>();
  /** Errors of a request that could not reach the provider (as opposed to refusals before sending). */
  const unreachable = new WeakSet<object>();
  const x402Origins = new Set((parameters.x402?.origins ?? []).map((origin) => new URL(origin).origin));
  const x402Fetch = parameters.x402 ? createX402Fetch({ ...parameters.x402, caps, store, fetch: baseFetch, now }) : undefined;

  function providerInfo(origin: string): Promise<ProviderInfo> {
    let info = infos.get(origin);
    if (!info) {
      info = readInfo(origin);
      infos.set(origin, info);
      info.catch(() => infos.delete(origin));
    }
    return info;
  }

  async function readInfo(origin: string): Promise<ProviderInfo> {
    let info: ProviderInfo;
    try {
      const response = await baseFetch(`${origin}${providerPaths.info}`);
      if (!response.ok) throw new Error(`status ${response.status}`);
      const { provider, market, chainId, priceInPerMTok, priceOutPerMTok, defaultMaxTokens, models } = parseMessage(providerInfoSchema, 'ProviderInfo', await response.json());
      info = { provider, market, chainId, priceInPerMTok, priceOutPerMTok, defaultMaxTokens, models, origin };
    } catch (cause) {
      throw new ProviderInfoError(`Cannot read ${origin}${providerPaths.info}.`, { cause });
    }
    if (parameters.market && !isAddressEqual(parameters.market, info.market)) {
      throw new ProviderInfoError(`The provider at ${origin} is on market ${info.market}, not ${parameters.market}.`);
    }
    if (parameters.chainId !== undefined && parameters.chainId !== info.chainId) {
      throw new ProviderInfoError(`The provider at ${origin} is on chain ${info.chainId}, not ${parameters.chainId}.`);
    }
    return info;
  }

  /**
   * The provider's `spent` for a channel from GET /y2c/channels/:id. With `settled`, waits (up to
   * 3 s) until nothing is reserved, so an interrupted stream's charge is final before it is read.
   */
  async function reportedSpent(origin: string, channelId: bigint, settled = false): Promise<bigint | undefined> {
    const deadline = now() + 3_000;
    for (;;) {
      let state: { spent: bigint; reserved: bigint } | undefined;
      try {
        const response = await baseFetch(`${origin}${channelPath(channelId)}`);
        if (response.ok) state = channelStateSchema.pick({ spent: true, reserved: true }).parse(await response.json());
      } catch {
        state = undefined;
      }
      if (!state) return undefined;
      if (!settled || state.reserved === 0n || now() > deadline) return state.spent;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Raises the stored `spent` to what the provider reports, never above what was signed. */
  async function adoptSpent(channelId: bigint, spent: bigint): Promise<bigint> {
    const state = await store.getChannel(channelId);
    if (!state) return spent;
    const capped = spent > state.authorized ? state.authorized : spent;
    if (capped > state.spent) await store.saveChannel({ ...state, spent: capped });
    return capped;
  }

  function channelMemory(channelId: bigint): ChannelMemory {
    let entry = memory.get(channelId);
    if (!entry) {
      entry = { outstanding: 0n, queue: Promise.resolve(), inFlight: 0n, signedTotal: 0n };
      memory.set(channelId, entry);
    }
    return entry;
  }

  /** Runs `task` after the channel's previous signing step (vouchers are cumulative, so signing is ordered). */
  function serialized<T>(entry: ChannelMemory, task: () => Promise<T>): Promise<T> {
    const run = entry.queue.then(task, task);
    entry.queue = run.catch(() => undefined);
    return run;
  }

  async function pay(url: URL, init: RequestInit, body: Record<string, unknown>): Promise<Response> {
    const info = await providerInfo(url.origin);
    const distrust = await store.untrusted(info.provider);
    if (distrust) throw new ProviderUntrustedError(`The provider ${info.provider} is untrusted: ${distrust}`);
    let priced: ReturnType<typeof maxCost>;
    try {
      priced = maxCost(body, info);
    } catch (cause) {
      throw new UnpriceableRequestError('The request cannot be priced.', { cause });
    }
    const bound = priced.cost;
    if (bound > caps.perRequest) {
      throw new PerRequestCapExceededError(`This request may cost ${bound}, above the per-request cap of ${caps.perRequest}.`, {
        details: 'Lower max_tokens or shorten the prompt.',
      });
    }
    const model = String(body.model);
    // Opened before anything is signed: a meter counts the call to the task that made it, or refuses it.
    const ticket = store.openCall?.(bound);
    const record = async (call: PaidCall) => (ticket ? ticket.record(call) : store.recordCall(call));
    const cancel = () => ticket?.cancel();
    try {
      return await payWith({ url, init, body, info, priced, model, record, cancel });
    } catch (error) {
      cancel();
      throw error;
    }
  }

  async function payWith(call: {
    url: URL;
    init: RequestInit;
    body: Record<string, unknown>;
    info: ProviderInfo;
    priced: ReturnType<typeof maxCost>;
    model: string;
    record: (call: PaidCall) => Promise<void>;
    cancel: () => void;
  }): Promise<Response> {
    const { url, init, body, info, priced, model, record, cancel } = call;
    const bound = priced.cost;
    const channelId = await channel({ info, required: bound });
    const entry = channelMemory(channelId);
    const stream = body.stream === true;
    /** What the client knew when it signed, to check the provider's figures against. */
    let signedAt = { spentBefore: 0n, othersInFlight: 0n, signedTotal: 0n };
    let inFlight = false;
    const landed = () => {
      if (!inFlight) return;
      inFlight = false;
      entry.inFlight -= bound;
    };
    /** Checks the reported figures; on a lie marks the provider untrusted and books the whole maxCost. */
    const check = async (reported: {
      cost: unknown;
      spent: unknown;
      usage: unknown;
      receipt: unknown;
      responseHash: Hex;
    }): Promise<{ ok: true; cost: bigint; spent: bigint } | { ok: false; error: ProviderUntrustedError }> => {
      const figures = checkReportedFigures({
        ...reported,
        prices: info,
        promptTokens: priced.promptTokens,
        maxTokens: priced.maxTokens,
        maxCost: bound,
        spentBefore: signedAt.spentBefore,
        othersInFlight: signedAt.othersInFlight + (entry.signedTotal - signedAt.signedTotal),
      });
      landed();
      const verdict = figures.ok ? await checkReceipt(figures, reported) : figures;
      if (verdict.ok) return verdict;
      await store.markUntrusted(info.provider, verdict.reason);
      // It may redeem the whole voucher: that is what the call is booked at, and nothing it said is adopted.
      await record({ channelId, provider: info.provider, model, cost: bound, maxCost: bound, spent: signedAt.spentBefore, at: now() });
      return { ok: false, error: new ProviderUntrustedError(`The provider ${info.provider} is untrusted: ${verdict.reason}.`) };
    };

    /** The figures passed: the provider's signed receipt must attest exactly them, for exactly these bytes. */
    const checkReceipt = async (
      figures: { ok: true; cost: bigint; spent: bigint },
      reported: { usage: unknown; receipt: unknown; responseHash: Hex },
    ): Promise<{ ok: true; cost: bigint; spent: bigint } | { ok: false; reason: string }> => {
      const usage = reported.usage as { prompt_tokens: number; completion_tokens: number };
      const proof = await verifyReceipt({
        receipt: reported.receipt,
        provider: info.provider,
        chainId: info.chainId,
        market: info.market,
        channelId,
        model,
        requestBytes: stringToBytes(String(init.body)),
        responseHash: reported.responseHash,
        tokensIn: BigInt(usage.prompt_tokens),
        tokensOut: BigInt(usage.completion_tokens),
        cost: figures.cost,
        spentAfter: figures.spent,
        sameStep: await store.receiptAtStep?.(channelId, figures.spent - figures.cost),
      });
      if (!proof.ok) return proof;
      await store.recordReceipt?.({ ...proof.receipt, provider: info.provider });
      return figures;
    };

    const send = (retry: boolean): Promise<{ response: Response; reserved: bigint }> =>
      serialized(entry, async () => {
        const recent = (await store.costSince(now() - 86_400_000)) + entry.outstanding;
        if (recent + bound > caps.daily) {
          throw new DailyCapExceededError(`Signing ${bound} more would pass the daily cap of ${caps.daily} (${recent} used in 24 h).`);
        }
        const state = (await store.getChannel(channelId)) ?? { channelId, provider: info.provider, spent: 0n, authorized: 0n };
        // Exactly what this request needs: the provider takes a voucher again while it covers
        // spent + reserved + maxCost (its ledger bounds what any voucher buys), so a total signed before may repeat.
        const authorized = state.spent + entry.outstanding + bound;
        landed();
        signedAt = { spentBefore: state.spent, othersInFlight: entry.inFlight, signedTotal: entry.signedTotal + bound };
        entry.inFlight += bound;
        entry.signedTotal += bound;
        inFlight = true;
        const voucher = await signVoucher({ account, chainId: info.chainId, market: info.market, channelId, authorized });
        await store.saveChannel({ ...state, provider: info.provider, authorized: authorized > state.authorized ? authorized : state.authorized });
        const headers = new Headers(init.headers);
        headers.set(protocolHeaders.voucher, formatVoucherHeader(voucher));
        let response: Response;
        try {
          response = await baseFetch(url, { ...init, headers });
        } catch (error) {
          if (typeof error === 'object' && error !== null) unreachable.add(error);
          throw error;
        }
        if (response.status === 402 && !retry) {
          const error = (await response.clone().json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
          if (reconcilablePaymentCodes.has(error?.error?.code ?? '')) {
            const spent = await reportedSpent(url.origin, channelId);
            if (spent !== undefined) await adoptSpent(channelId, spent);
            return { response, reserved: -1n };
          }
        }
        if (response.ok && stream) entry.outstanding += bound;
        return { response, reserved: response.ok && stream ? bound : 0n };
      });

    /** A call the provider failed (5xx, or unreachable): nothing is charged, and it is journaled once as a failure for its health. */
    const failed = async (error: string) => {
      landed();
      await record({ channelId, provider: info.provider, model, cost: 0n, maxCost: bound, spent: (await store.getChannel(channelId))?.spent ?? 0n, at: now(), ok: false, error });
    };
    let response: Response;
    let reserved: bigint;
    try {
      ({ response, reserved } = await send(false));
      if (reserved === -1n) ({ response, reserved } = await send(true));
    } catch (error) {
      if (typeof error === 'object' && error !== null && unreachable.has(error)) await failed(`unreachable: ${error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error)}`);
      throw error;
    }
    if (!response.ok) {
      if (response.status >= 500) await failed(`status ${response.status}`);
      else {
        landed();
        cancel();
      }
      return response;
    }

    if (!stream) {
      const raw = new Uint8Array(await response.clone().arrayBuffer());
      let received: { usage?: unknown } | undefined;
      try {
        received = JSON.parse(new TextDecoder().decode(raw)) as { usage?: unknown };
      } catch {
        received = undefined;
      }
      const verdict = await check({
        cost: response.headers.get(protocolHeaders.cost),
        spent: response.headers.get(protocolHeaders.spent),
        usage: received?.usage,
        receipt: response.headers.get(protocolHeaders.receipt),
        responseHash: keccak256(raw),
      });
      if (!verdict.ok) throw verdict.error;
      const spent = await adoptSpent(channelId, verdict.spent);
      await record({ channelId, provider: info.provider, model, cost: verdict.cost, maxCost: bound, spent, at: now() });
      return response;
    }
    if (!response.body) {
      landed();
      entry.outstanding -= reserved;
      await record({ channelId, provider: info.provider, model, cost: bound, maxCost: bound, spent: (await store.getChannel(channelId))?.spent ?? 0n, at: now() });
      return response;
    }

    // Streams: pass bytes through untouched while watching for the final chunk's `y2c` settlement.
    type Settlement = { cost: unknown; spent: unknown; usage: unknown; receipt: unknown; responseHash: Hex };
    // The receipt covers every byte before the final event: hashed line by line as they pass.
    const streamHash = keccak_256.create();
    let streamHashed = false;
    let settled = false;
    let buffer = '';
    const decoder = new TextDecoder();
    /** Books the stream; returns the refusal when its final figures are a lie. */
    const finish = async (y2c: Settlement | undefined): Promise<ProviderUntrustedError | undefined> => {
      if (settled) return undefined;
      settled = true;
      try {
        if (y2c) {
          const verdict = await check(y2c);
          if (!verdict.ok) return verdict.error;
          const spent = await adoptSpent(channelId, verdict.spent);
          await record({ channelId, provider: info.provider, model, cost: verdict.cost, maxCost: bound, spent, at: now() });
          return undefined;
        }
        // No final figures (the stream broke): ask the provider, and book the reservation as the cost.
        const reported = await reportedSpent(url.origin, channelId, true);
        const spent = reported === undefined ? (await store.getChannel(channelId))?.spent ?? 0n : await adoptSpent(channelId, reported);
        landed();
        await record({ channelId, provider: info.provider, model, cost: bound, maxCost: bound, spent, at: now() });
        return undefined;
      } finally {
        // Released only once booked, so a voucher signed meanwhile still covers this stream.
        entry.outstanding -= reserved;
      }
    };
    /** Scans the bytes for the final chunk's `y2c` settlement (with the usage beside it). */
    const scan = (text: string): Settlement | undefined => {
      buffer += text;
      let found: Settlement | undefined;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (found || streamHashed) continue;
        if (line.startsWith('data:') && line.includes('"y2c"')) {
          try {
            const chunk = JSON.parse(line.slice(5)) as { y2c?: { cost?: unknown; spent?: unknown; receipt?: unknown }; usage?: unknown };
            if (chunk.y2c && typeof chunk.y2c === 'object') {
              streamHashed = true;
              found = { cost: chunk.y2c.cost, spent: chunk.y2c.spent, usage: chunk.usage, receipt: chunk.y2c.receipt, responseHash: bytesToHex(streamHash.digest()) };
              continue;
            }
          } catch {
            // Not the settlement chunk.
          }
        }
        streamHash.update(stringToBytes(`${line}\n`));
      }
      return found;
    };
    const reader = response.body.getReader();
    const watched = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { value, done } = await reader.read();
          if (done) {
            await finish(undefined);
            controller.close();
            return;
          }
          const settlement = scan(decoder.decode(value, { stream: true }));
          const refusal = settlement ? await finish(settlement) : undefined;
          if (refusal) {
            await reader.cancel(refusal).catch(() => undefined);
            controller.error(refusal);
            return;
          }
          controller.enqueue(value);
        } catch (error) {
          await finish(undefined);
          controller.error(error);
        }
      },
      async cancel(reason) {
        await reader.cancel(reason).catch(() => undefined);
        await finish(undefined);
      },
    });
    return new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  return async function payingFetch(input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1] = {}): Promise<Response> {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (x402Fetch && x402Origins.has(url.origin)) return x402Fetch(input, init);
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (method !== 'POST' || !url.pathname.endsWith(providerPaths.chatCompletions.slice('/v1'.length))) return baseFetch(input, init);
    if (typeof init.body !== 'string') {
      throw new UnpriceableRequestError('The paying fetch needs the chat-completions body as a JSON string in init.body.');
    }
    let body: unknown;
    try {
      body = JSON.parse(init.body);
    } catch (cause) {
      throw new UnpriceableRequestError('The chat-completions body is not JSON.', { cause });
    }
    if (typeof body !== 'object' || body === null) throw new UnpriceableRequestError('The chat-completions body is not a JSON object.');
    return pay(url, init, body as Record<string, unknown>);
  };
}
