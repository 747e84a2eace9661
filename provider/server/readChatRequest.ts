import type { IncomingMessage } from 'node:http';
import { parseMessage } from '../../protocol/parseMessage.js';
import { ProtocolError } from '../../protocol/ProtocolError.js';
import { chatCompletionRequestSchema, type ChatCompletionRequest } from '../../protocol/schemas.js';
import { HttpError } from './HttpError.js';
import { readBody } from './readBody.js';
import type { ProviderContext } from './ProviderContext.js';

/**
 * Reads a `POST /v1/chat/completions` body: JSON, the protocol's request schema, a model served here.
 *
 * @param context The provider (body limit, models).
 * @param req The request.
 * @returns The body's text (what a receipt hashes) and the request.
 * @throws {HttpError} 413 `body_too_large`, 400 `invalid_json` / `invalid_request` (naming the zod issues), 404 `model_not_found`.
 * @example const { text, request } = await readChatRequest(context, req);
 */
export async function readChatRequest(context: ProviderContext, req: IncomingMessage): Promise<{ text: string; request: ChatCompletionRequest }> {
  const text = await readBody(req, context.maxBodyBytes);
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
  if (!context.backend.models.includes(request.model)) {
    throw new HttpError(404, 'invalid_request_error', 'model_not_found', `The model ${request.model} is not served here.`, {
      details: `models: ${context.backend.models.join(', ')}`,
    });
  }
  return { text, request };
}
