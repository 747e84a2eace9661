import { AgentError } from '../../core/AgentError.js';

/** The model behind the provider failed (unreachable, an error status, a broken stream); nothing is charged. */
export class UpstreamError extends AgentError {
  override name = 'UpstreamError' as const;
}
