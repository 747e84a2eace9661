import { AgentError } from '../../core/AgentError.js';

/**
 * The first AgentError in an error's cause chain (the OpenAI client and LangChain wrap what the
 * paying fetch throws).
 *
 * @param error Anything thrown.
 * @returns The AgentError, if any.
 * @example const refusal = findAgentError(error); if (refusal?.name === 'OutOfComputeError') …
 */
export function findAgentError(error: unknown): AgentError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current; depth++) {
    if (current instanceof AgentError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
