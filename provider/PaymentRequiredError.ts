import { AgentError, type AgentErrorParameters } from '../core/AgentError.js';
import type { PaymentErrorCode } from '../protocol/paymentErrorCodes.js';

/** The request cannot be served because its voucher does not pay for it (the codes: {@link PaymentErrorCode}). */
export class PaymentRequiredError extends AgentError {
  override name = 'PaymentRequiredError' as const;
  /** Which rule refused it. */
  readonly code: PaymentErrorCode;

  constructor(code: PaymentErrorCode, shortMessage: string, parameters: AgentErrorParameters = {}) {
    super(shortMessage, { docsPath: '#vouchers', ...parameters });
    this.code = code;
  }
}
