import { AgentError } from '../../core/AgentError.js';

/** A registry transaction (register, update, deregister) failed or reverted. */
export class ProviderRegistrationError extends AgentError {
  override name = 'ProviderRegistrationError' as const;
}
