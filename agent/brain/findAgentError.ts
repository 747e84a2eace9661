import { AgentError } from '../../core/AgentError.js';
import { walkError } from '../../core/walkError.js';

/**
 * The first error in an error's cause chain that is an instance of one of the classes (the OpenAI
 * client and LangChain wrap what the paying fetch throws). Matched by class, never by name.
 *
 * @param error Anything thrown.
 * @param classes The AgentError classes to look for (default: any AgentError).
 * @returns The error, if any.
 * @example const refusal = findAgentError(error, [OutOfComputeError]);
 */
export function findAgentError(error: unknown, classes: readonly (abstract new (...args: never[]) => AgentError)[] = [AgentError]): AgentError | undefined {
  return walkError(error, (candidate) => classes.some((type) => candidate instanceof type)) as AgentError | undefined;
}
