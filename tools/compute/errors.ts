import { AgentError } from '../../core/AgentError.js';

/** A request's maxCost is above the per-request cap: the client refuses to sign. */
export class PerRequestCapExceededError extends AgentError {
  override name = 'PerRequestCapExceededError' as const;
}

/** Signing this request would pass the daily spending cap. */
export class DailyCapExceededError extends AgentError {
  override name = 'DailyCapExceededError' as const;
}

/** The provider was caught redeeming more than it reported; the client no longer pays it. */
export class ProviderUntrustedError extends AgentError {
  override name = 'ProviderUntrustedError' as const;
}

/** The provider's /y2c/info does not match the market and chain the client pays on, or cannot be read. */
export class ProviderInfoError extends AgentError {
  override name = 'ProviderInfoError' as const;
}

/** A request the paying fetch cannot price (a body that is not a JSON string, an invalid max_tokens). */
export class UnpriceableRequestError extends AgentError {
  override name = 'UnpriceableRequestError' as const;
}

/**
 * An x402 offer the agent will not pay: no `batch-settlement` offer (the account cannot sign `exact`'s
 * ERC-3009 authorization), another network or asset, or channel terms that lock the deposit too long.
 */
export class X402OfferRefusedError extends AgentError {
  override name = 'X402OfferRefusedError' as const;
}

/** The URL is not under one of the allowlisted x402 services. */
export class X402ServiceNotAllowedError extends AgentError {
  override name = 'X402ServiceNotAllowedError' as const;
}
