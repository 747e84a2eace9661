import { AgentError } from '../../core/AgentError.js';

/** Why the converter refused: the yield waits in it (or in the vault) and nothing moved. */
export type ConversionRefusal = 'stale_oracle' | 'bad_oracle' | 'pool_off' | 'slippage';

/** The converter refused to swap (stale oracle, pool off the oracle, or a swap losing more than the bound). */
export class ConversionRefusedError extends AgentError {
  override name = 'ConversionRefusedError' as const;
  /** Which check refused. */
  readonly reason: ConversionRefusal;

  constructor(reason: ConversionRefusal, shortMessage: string, parameters: ConstructorParameters<typeof AgentError>[1] = {}) {
    super(shortMessage, { docsPath: '#eth-vault-and-conversion', ...parameters });
    this.reason = reason;
  }
}
