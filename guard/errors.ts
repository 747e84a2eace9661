import { AgentError } from '../core/AgentError.js';

/** The action is not one the guard allows (unknown, or not enabled for this caller). */
export class ActionNotAllowedError extends AgentError {
  override name = 'ActionNotAllowedError' as const;
}

/** The provider is not in the config's trusted providers, or not active in the market. */
export class UntrustedProviderError extends AgentError {
  override name = 'UntrustedProviderError' as const;
}

/** A deposit is above the per-call cap, or would pass the daily compute budget. */
export class ComputeCapExceededError extends AgentError {
  override name = 'ComputeCapExceededError' as const;
}

/** A call would reach a contract other than the vault, the payment token (approving the market) or the market. */
export class CounterpartyNotAllowedError extends AgentError {
  override name = 'CounterpartyNotAllowedError' as const;
}

/** The channel is unknown or does not belong to the agent. */
export class ChannelNotOwnedError extends AgentError {
  override name = 'ChannelNotOwnedError' as const;
}

/** The agent already filed as many proposals this charter period as its charter allows. */
export class ProposalLimitError extends AgentError {
  override name = 'ProposalLimitError' as const;
}

/** A proposal the agent may not file: no community, a call outside the charter and its own account, value, or too long. */
export class ProposalNotAllowedError extends AgentError {
  override name = 'ProposalNotAllowedError' as const;
}

/** An x402 deposit whose channel terms could pay someone else (payer, payer authorizer, receiver, token or delay off). */
export class X402ChannelRefusedError extends AgentError {
  override name = 'X402ChannelRefusedError' as const;
}

/** A claim on a provider's bond the market would refuse: not the agent's channel, a receipt not its provider's, a false accusation, a window still open. */
export class BondClaimRefusedError extends AgentError {
  override name = 'BondClaimRefusedError' as const;
}
