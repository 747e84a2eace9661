import type { ServerResponse } from 'node:http';
import type { Address } from 'viem';
import { ComputeBudgetExceededError } from '../brain/errors.js';
import type { CreateCostMeterReturnType } from '../brain/createCostMeter.js';
import type { ChatMountContext, ChatMountFactory } from '../chat/ChatMount.js';
import { ChatBadRequestError, ChatNotFoundError, QuotaExhaustedError, ReplyFailedError } from '../chat/errors.js';
import { PerRequestCapExceededError, UnpriceableRequestError } from '../../tools/compute/errors.js';
import { parseCompletionRequest, type CompletionRequest } from './parseCompletionRequest.js';
import { protocolHeaders } from '../../protocol/protocolHeaders.js';
import { providerPaths } from '../../protocol/providerPaths.js';
import { firstLine } from '../../core/firstLine.js';

/** A provider the member API may route to (the brain's {@link BrainProvider} fits). */
export type MemberApiProvider = { address: Address; baseUrl: string; model: string };

/** Parameters of {@link createMemberApi}. */
export type CreateMemberApiParameters = {
  /** The agent's trusted providers, best first (the daemon passes `listBrainProviders`). */
  providers: () => Promise<readonly MemberApiProvider[]>;
  /** The agent's paying fetch: signs vouchers on the agent's channels. */
  fetch: typeof fetch;
  /** The cost meter whose store the paying fetch records into: a request is charged what it cost. */
  meter: Pick<CreateCostMeterReturnType, 'measureSettled'>;
  /** How long the provider list is cached, ms (default 30 s). */
  providersTtlMs?: number;
};

/**
 * The member's own OpenAI-compatible endpoint, mounted on the chat server: `GET /v1/models` and
 * `POST /v1/chat/completions` (streamed or not). The bearer is the member's SIWE session token or
 * one of their API keys. Each request goes through the chat's spending gate (rate, the pass on chain
 * now, the quota reserved), is forwarded to a trusted provider serving the model through the agent's
 * paying fetch, and is charged exactly what its paid call cost (as the meter saw it: an aborted
 * stream too), then the reservation is released. A request that cannot be parsed, names no served
 * model, or could cost more than the reservation reaches no provider and costs nothing.
 *
 * @param parameters Providers, the paying fetch and its meter.
 * @returns A mount for `createChatServer({ mounts })`.
 * @example
 * createChatServer({ ...params, mounts: [createMemberApi({ providers: () => listBrainProviders(…), fetch: payingFetch, meter })] })
 */
export function createMemberApi(parameters: CreateMemberApiParameters): ChatMountFactory {
  const ttl = parameters.providersTtlMs ?? 30_000;
  let cache: { at: number; list: Promise<readonly MemberApiProvider[]> } | undefined;
  const providers = () => {
    if (!cache || Date.now() - cache.at > ttl) {
      const list = parameters.providers();
      cache = { at: Date.now(), list };
      list.catch(() => (cache = undefined));
    }
    return cache.list;
  };
  return (context) => {
    const streams = new Set<AbortController>();
    return {
      handle: async (req, res, url) => {
        const path = url.pathname;
        if (path !== providerPaths.models && path !== providerPaths.chatCompletions) return false;
        try {
          context.chat.limitNetwork(req.socket.remoteAddress ?? 'unknown');
          const { address } = context.chat.authenticateMember(context.bearer(req));
          if (req.method === 'GET' && path === providerPaths.models) {
            const list = await providers();
            const models = [...new Map(list.map((provider) => [provider.model, provider])).values()];
            context.sendJson(res, 200, { object: 'list', data: models.map((provider) => ({ id: provider.model, object: 'model', created: 0, owned_by: provider.address })) });
            return true;
          }
          if (req.method !== 'POST') throw new ChatNotFoundError(`No route ${req.method} ${path}.`);
          const request = parseCompletionRequest(await context.readJson(req));
          const controller = new AbortController();
          streams.add(controller);
          res.on('close', () => controller.abort());
          try {
            await complete({ context, address, request, res, signal: controller.signal });
          } finally {
            streams.delete(controller);
          }
        } catch (error) {
          context.report(error);
          context.sendError(res, error);
        }
        return true;
      },
      close: async () => {
        for (const controller of streams) controller.abort();
      },
    };
  };

  async function complete(input: { context: ChatMountContext; address: Address; request: CompletionRequest; res: ServerResponse; signal: AbortSignal }): Promise<void> {
    const { context, address, request, res, signal } = input;
    const provider = (await providers()).find((candidate) => candidate.model === request.model);
    if (!provider) throw new ChatNotFoundError(`No trusted provider serves model "${request.model.slice(0, 100)}"; GET /v1/models lists them.`, { body: { type: 'invalid_request_error', param: 'model' } });
    const reservation = await context.chat.reserve(address);
    try {
      const stream = request.stream === true;
      let body = '';
      const settled = await parameters.meter.measureSettled(
        async () => {
          const response = await parameters.fetch(`${provider.baseUrl}/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(request),
            signal,
          });
          if (!response.ok) {
            const text = await response.text().catch(() => '');
            throw new ReplyFailedError(`The provider answered ${response.status}.`, { details: text.slice(0, 300) });
          }
          if (!stream) {
            body = await response.text();
            return;
          }
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
          if (!response.body) return;
          const reader = response.body.getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            res.write(value);
          }
        },
        { member: address, budget: reservation.budget },
      );
      // Whatever the outcome, the member pays what the paid call cost the agent, and no more.
      if (settled.cost > 0n) reservation.charge(settled.cost);
      reservation.release();
      if (!settled.ok) throw refusal(settled.error);
      if (stream) return void res.end();
      const quota = await context.chat.quota(address);
      context.sendJson(res, 200, JSON.parse(body) as unknown, { [protocolHeaders.cost]: settled.cost.toString(), [protocolHeaders.quotaRemaining]: quota.remaining.toString() });
    } finally {
      reservation.release();
    }
  }
}

/** The member-facing refusal for a failed forward. */
function refusal(error: unknown): unknown {
  if (error instanceof ComputeBudgetExceededError) {
    return new QuotaExhaustedError('This request could cost more than your remaining quota.', { details: `${error.shortMessage} Lower max_tokens or shorten the prompt.` });
  }
  if (error instanceof PerRequestCapExceededError || error instanceof UnpriceableRequestError) {
    return new ChatBadRequestError(`The agent will not pay for this request: ${error.shortMessage}`, { details: error.details ?? 'Lower max_tokens or shorten the prompt.', body: { type: 'invalid_request_error' } });
  }
  if (error instanceof ReplyFailedError) return error;
  const reason = error instanceof Error ? ('shortMessage' in error && typeof error.shortMessage === 'string' ? error.shortMessage : error.message) : String(error);
  return new ReplyFailedError('The agent could not complete the request.', { cause: error, details: firstLine(reason, 200) });
}

