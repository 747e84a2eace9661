import { UpstreamError } from '../backends/UpstreamError.js';
import { HttpError } from './HttpError.js';

/**
 * The 502 a failed upstream call is answered with (nothing is charged for it).
 *
 * @param error What the backend threw.
 * @returns An `HttpError` 502 `upstream_failed`, the upstream's reason in its message and details.
 * @example throw upstreamFailure(error);
 */
export function upstreamFailure(error: unknown): HttpError {
  const message = error instanceof UpstreamError ? error.shortMessage : 'The upstream model failed.';
  return new HttpError(502, 'upstream_error', 'upstream_failed', `${message} Nothing was charged.`, {
    cause: error,
    ...(error instanceof UpstreamError && error.details ? { details: error.details } : {}),
  });
}
