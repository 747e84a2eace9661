import { AgentError, type AgentErrorParameters } from '../../core/AgentError.js';

/** Machine-readable codes of the chat API's refusals. */
export type ChatErrorCode =
  | 'bad_request'
  | 'sign_in_failed'
  | 'unauthenticated'
  | 'no_pass'
  | 'forbidden'
  | 'quota_exhausted'
  | 'rate_limited'
  | 'not_found'
  | 'reply_failed';

/** Parameters of a chat API error: the base parameters plus an optional JSON body extension. */
export type ChatErrorParameters = AgentErrorParameters & {
  /** Extra fields sent to the client with the error (decimal strings for amounts). */
  body?: Record<string, unknown>;
};

/**
 * Base of every refusal of the chat API: carries the HTTP status and a code that both the HTTP
 * handlers and the WebSocket send to the client as `{ error: { status, code, message, ... } }`.
 */
export abstract class ChatApiError extends AgentError {
  /** HTTP status. */
  abstract readonly status: number;
  /** Machine-readable code. */
  abstract readonly code: ChatErrorCode;
  /** Extra fields for the client. */
  readonly body: Record<string, unknown>;

  constructor(shortMessage: string, parameters: ChatErrorParameters = {}) {
    super(shortMessage, parameters);
    this.body = parameters.body ?? {};
  }
}

/** The request comes from a foreign origin or asks for something this port never serves (403). */
export class ChatForbiddenError extends ChatApiError {
  override name = 'ChatForbiddenError' as const;
  readonly status = 403;
  readonly code = 'forbidden' as const;
}

/** The request is malformed or too large (400). */
export class ChatBadRequestError extends ChatApiError {
  override name = 'ChatBadRequestError' as const;
  readonly status = 400;
  readonly code = 'bad_request' as const;
}

/** Sign-In with Ethereum was refused: reused or unknown nonce, foreign domain or URI, wrong chain, stale or expired message, bad signature (401). */
export class SignInError extends ChatApiError {
  override name = 'SignInError' as const;
  readonly status = 401;
  readonly code = 'sign_in_failed' as const;
}

/** No session, or an unknown or expired session token (401). */
export class UnauthenticatedError extends ChatApiError {
  override name = 'UnauthenticatedError' as const;
  readonly status = 401;
  readonly code = 'unauthenticated' as const;
}

/** The member does not hold the configured pass (any more) (403). */
export class PassRequiredError extends ChatApiError {
  override name = 'PassRequiredError' as const;
  readonly status = 403;
  readonly code = 'no_pass' as const;
}

/** The member's compute quota is used up (429); the body says how much more stake would restore it. */
export class QuotaExhaustedError extends ChatApiError {
  override name = 'QuotaExhaustedError' as const;
  readonly status = 429;
  readonly code = 'quota_exhausted' as const;
}

/** Too many requests from this member or this address (429). */
export class RateLimitedError extends ChatApiError {
  override name = 'RateLimitedError' as const;
  readonly status = 429;
  readonly code = 'rate_limited' as const;
}

/** No such conversation (for this member) or route (404). */
export class ChatNotFoundError extends ChatApiError {
  override name = 'ChatNotFoundError' as const;
  readonly status = 404;
  readonly code = 'not_found' as const;
}

/** The responder failed before or while replying (502). */
export class ReplyFailedError extends ChatApiError {
  override name = 'ReplyFailedError' as const;
  readonly status = 502;
  readonly code = 'reply_failed' as const;
}
