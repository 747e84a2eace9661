import { walkError } from './walkError.js';

/** Parameters of {@link AgentError}. */
export type AgentErrorParameters = {
  /** What went wrong and, where possible, how to fix it. */
  cause?: unknown;
  /** Extra lines appended to the message (values, hints). */
  details?: string | undefined;
  /** Anchor in the README that explains this error. */
  docsPath?: string | undefined;
};

/**
 * Base of every error y2c throws: a short message, an optional cause and a pointer into the README.
 * Only the tool adapter turns these into text for the LLM.
 *
 * @example
 * class SessionExpiredError extends AgentError {
 *   override name = 'SessionExpiredError' as const;
 * }
 */
export class AgentError extends Error {
  override name: string = 'AgentError';
  /** The one-line message, without details. */
  readonly shortMessage: string;
  /** Where in the README this error is explained. */
  readonly docsPath: string | undefined;
  /** Extra detail lines. */
  readonly details: string | undefined;

  constructor(shortMessage: string, parameters: AgentErrorParameters = {}) {
    const lines = [shortMessage];
    if (parameters.details) lines.push('', parameters.details);
    if (parameters.docsPath) lines.push('', `Docs: README.md${parameters.docsPath}`);
    super(lines.join('\n'), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.docsPath = parameters.docsPath;
    this.details = parameters.details;
  }

  /**
   * This error or the first of its causes the predicate accepts (viem's `BaseError.walk`).
   *
   * @param predicate Which error to find, by class: `(e) => e instanceof OutOfComputeError`.
   * @returns The error found, or undefined.
   */
  walk(predicate: (error: unknown) => boolean): unknown {
    return walkError(this, predicate);
  }
}
