import { UpstreamError } from '../backends/UpstreamError.js';
import { PaymentRequiredError } from '../PaymentRequiredError.js';
import { HttpError } from './HttpError.js';
import { upstreamFailure } from './upstreamFailure.js';

/**
 * The HTTP answer to whatever a request step threw: its own `HttpError`, a 402 for a payment
 * refusal, a 502 for the upstream, else a 500 that tells the client nothing of the cause.
 *
 * @param error What was thrown.
 * @returns The error to answer with.
 * @example const failure = toHttpError(error); sendJson(res, failure.status, { error: { type: failure.type, code: failure.code, message: failure.shortMessage } });
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof PaymentRequiredError) return new HttpError(402, 'payment_required', error.code, error.shortMessage, { details: error.details });
  if (error instanceof UpstreamError) return upstreamFailure(error);
  return new HttpError(500, 'server_error', 'internal_error', 'The provider failed.', { cause: error });
}
