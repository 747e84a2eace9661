import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderContext } from './ProviderContext.js';
import { routeProviderRequest } from './routeProviderRequest.js';
import { sendJson } from '../../core/sendJson.js';
import { toHttpError } from './toHttpError.js';

/** Parameters of {@link createProviderHandler}: the provider's identity, terms and parts. */
export type CreateProviderHandlerParameters = Omit<ProviderContext, 'modelInfo'>;

/** Return type of {@link createProviderHandler}: a node:http request listener. */
export type CreateProviderHandlerReturnType = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The provider's HTTP API: OpenAI-compatible `GET /v1/models` and `POST /v1/chat/completions`
 * (plain and `stream: true`), `GET /y2c/info` and `GET /y2c/channels/:id`, paid by the
 * `x-y2c-voucher` header (or x402). See provider/README.md for the exact contract; the paths,
 * headers and messages are in protocol/. The factory only holds the context; each step is its own
 * function ({@link routeProviderRequest} and the steps it calls).
 *
 * @param parameters Identity, terms, backend, ledger, chain reader and verifier.
 * @returns The request listener.
 * @example createServer(createProviderHandler({ ... })).listen(8787, '127.0.0.1');
 */
export function createProviderHandler(parameters: CreateProviderHandlerParameters): CreateProviderHandlerReturnType {
  const { backend, log } = parameters;
  const modelInfo = Object.fromEntries(backend.models.map((id) => [id, backend.modelInfo?.[id] ?? { tools: true }]));
  const context: ProviderContext = { ...parameters, modelInfo };
  return (req, res) => {
    routeProviderRequest(context, req, res).catch((error: unknown) => {
      const failure = toHttpError(error);
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
