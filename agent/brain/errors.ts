import { AgentError } from '../../core/AgentError.js';

/** No channel can pay for the next request: the agent cannot think until the treasury buys more. */
export class OutOfComputeError extends AgentError {
  override name = 'OutOfComputeError' as const;
}

/** A paid call would take a measured task (a member's reply) past its budget (the member's reservation). */
export class ComputeBudgetExceededError extends AgentError {
  override name = 'ComputeBudgetExceededError' as const;
}
