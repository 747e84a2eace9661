import { AgentError } from '../core/AgentError.js';

/** The session key's validity window has not started or has ended. */
export class SessionExpiredError extends AgentError {
  override name = 'SessionExpiredError' as const;
}

/** The session was revoked, never granted, or granted by a previous owner of the agent NFT. */
export class SessionRevokedError extends AgentError {
  override name = 'SessionRevokedError' as const;
}

/** The call is outside the session policy (target, selector, counterparty, budget or call count). */
export class PolicyViolationError extends AgentError {
  override name = 'PolicyViolationError' as const;
}

/** A transaction or user operation was mined but reverted. */
export class TransactionRevertedError extends AgentError {
  override name = 'TransactionRevertedError' as const;
}

/** The bundler refused a user operation. */
export class UserOperationRejectedError extends AgentError {
  override name = 'UserOperationRejectedError' as const;
}

/** Not enough of a token (or ETH) for what was asked. */
export class InsufficientBalanceError extends AgentError {
  override name = 'InsufficientBalanceError' as const;
}

/** A stake is still locked. */
export class StakeLockedError extends AgentError {
  override name = 'StakeLockedError' as const;
}

/** More principal was asked back than was staked. */
export class InsufficientPrincipalError extends AgentError {
  override name = 'InsufficientPrincipalError' as const;
}
