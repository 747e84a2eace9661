import { AgentError, type AgentErrorParameters } from '../core/AgentError.js';

/** A protocol message that does not match its schema: `issues` says which field and why (zod's words). */
export class ProtocolError extends AgentError {
  override name = 'ProtocolError' as const;
  /** Which message was read (`ProviderInfo`, `ChatCompletionRequest`, …). */
  readonly messageName: string;
  /** One line per zod issue: `path: message`. */
  readonly issues: readonly string[];

  constructor(message: string, issues: readonly string[], parameters: AgentErrorParameters = {}) {
    super(`The ${message} does not match the protocol: ${issues.join('; ')}.`, parameters);
    this.messageName = message;
    this.issues = issues;
  }
}
