import { AgentError, type AgentErrorParameters } from '../../core/AgentError.js';

/** A request the provider refuses with an HTTP status and an OpenAI-style error body `{ error: { type, code, message } }`. */
export class HttpError extends AgentError {
  override name = 'HttpError' as const;
  /** HTTP status. */
  readonly status: number;
  /** OpenAI error type (`invalid_request_error`, `payment_required`, `upstream_error`, …). */
  readonly type: string;
  /** Machine-readable code. */
  readonly code: string;

  constructor(status: number, type: string, code: string, shortMessage: string, parameters: AgentErrorParameters = {}) {
    super(shortMessage, parameters);
    this.status = status;
    this.type = type;
    this.code = code;
  }
}
