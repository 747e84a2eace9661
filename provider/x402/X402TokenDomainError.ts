import { AgentError } from '../../core/AgentError.js';

/** The payment token's EIP-712 domain (which `exact` and the ERC-3009 deposit sign against) is unknown. */
export class X402TokenDomainError extends AgentError {
  override name = 'X402TokenDomainError' as const;
}
