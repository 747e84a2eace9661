import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchChannelPath } from '../../protocol/matchChannelPath.js';
import { providerPaths } from '../../protocol/providerPaths.js';
import type { ChannelStateWire } from '../../protocol/schemas.js';
import { describeProvider } from './describeProvider.js';
import { HttpError } from './HttpError.js';
import { listModels } from './listModels.js';
import type { ProviderContext } from './ProviderContext.js';
import { sendJson } from '../../core/sendJson.js';
import { serveChatCompletion } from './serveChatCompletion.js';

/**
 * Routes one provider request by the protocol's paths: `GET /v1/models`, `GET /y2c/info`,
 * `GET /y2c/channels/:id`, `POST /v1/chat/completions`; anything else is a 404.
 *
 * @param context The provider.
 * @param req The request.
 * @param res The response.
 * @throws {HttpError} 404 `not_found`, and whatever a step refuses with.
 * @example await routeProviderRequest(context, req, res);
 */
export async function routeProviderRequest(context: ProviderContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (req.method === 'GET' && path === providerPaths.models) return sendJson(res, 200, listModels(context));
  if (req.method === 'GET' && path === providerPaths.info) return sendJson(res, 200, describeProvider(context));
  const channelId = matchChannelPath(path);
  if (req.method === 'GET' && channelId !== undefined) {
    const ledger = await context.store.channel(channelId);
    const state: ChannelStateWire = {
      channelId: ledger.channelId.toString(),
      spent: ledger.spent.toString(),
      authorized: ledger.authorized.toString(),
      reserved: ledger.reserved.toString(),
      redeemed: ledger.redeemed.toString(),
    };
    return sendJson(res, 200, state);
  }
  if (req.method === 'POST' && path === providerPaths.chatCompletions) return serveChatCompletion(context, req, res);
  throw new HttpError(404, 'invalid_request_error', 'not_found', `No route ${req.method} ${path}.`);
}
