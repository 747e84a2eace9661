import { AgentError } from '../core/AgentError.js';

/** Parameters of {@link AmountError}. */
export type AmountErrorParameters = {
  /** The text that was given. */
  value: string;
  /** Decimals of the token it was meant for. */
  decimals: number;
  /** Why it was refused, e.g. `has 7 decimals, at most 6 allowed`. */
  problem: string;
};

/**
 * A decimal amount typed by a user or written in the config could not be read as token units.
 *
 * @example
 * try { parseAmount('-1', 6) } catch (e) { if (e instanceof AmountError) console.log(e.problem) }
 */
export class AmountError extends AgentError {
  override name = 'AmountError' as const;
  /** The text that was given. */
  readonly value: string;
  /** Decimals of the token it was meant for. */
  readonly decimals: number;
  /** Why it was refused. */
  readonly problem: string;

  constructor(parameters: AmountErrorParameters) {
    super(`Invalid amount ${JSON.stringify(parameters.value)}: ${parameters.problem}.`, {
      details: `Expected a non-negative decimal number with at most ${parameters.decimals} decimals, such as "12.5".`,
      docsPath: '#amounts',
    });
    this.value = parameters.value;
    this.decimals = parameters.decimals;
    this.problem = parameters.problem;
  }
}
