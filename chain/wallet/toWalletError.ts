import { BaseError, decodeErrorResult, type Hex } from 'viem';
import { agentAccountAbi } from '../abi/generated/agentAccount.js';
import { AgentError } from '../../core/AgentError.js';
import {
  PolicyViolationError,
  SessionExpiredError,
  SessionRevokedError,
  TransactionRevertedError,
  UserOperationRejectedError,
} from '../errors.js';

/** Finds revert data anywhere in a viem error chain. */
function revertData(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) {
    const data = (error as { data?: unknown } | undefined)?.data;
    return typeof data === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(data) ? (data as Hex) : undefined;
  }
  let found: Hex | undefined;
  error.walk((e) => {
    const data = (e as { data?: unknown }).data;
    if (typeof data === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(data)) found = data as Hex;
    if (data && typeof data === 'object' && 'data' in data && typeof data.data === 'string') found = data.data as Hex;
    const raw = (e as { raw?: unknown }).raw;
    if (typeof raw === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(raw)) found = raw as Hex;
    return false;
  });
  if (found) return found;
  const match = /(0x[0-9a-fA-F]{8,})/.exec(error.details ?? '');
  return match?.[1] as Hex | undefined;
}

/** The account's custom errors a session key can meet, and the typed error each one is. */
const errorClasses: Record<string, typeof AgentError> = {
  SessionKeys_NotYetValid: SessionExpiredError,
  SessionKeys_Expired: SessionExpiredError,
  SessionKeys_NoSession: SessionRevokedError,
  SessionKeys_OwnerChanged: SessionRevokedError,
  SessionKeys_OperationNotAllowed: PolicyViolationError,
  SessionKeys_SelfCall: PolicyViolationError,
  SessionKeys_CallNotAllowed: PolicyViolationError,
  SessionKeys_MalformedCall: PolicyViolationError,
  SessionKeys_CounterpartyNotAllowed: PolicyViolationError,
  SessionKeys_BudgetExceeded: PolicyViolationError,
  SessionKeys_CallLimitReached: PolicyViolationError,
  SessionKeys_ArgumentNotAllowed: PolicyViolationError,
  SessionKeys_EmptyBatch: PolicyViolationError,
  Executor_EmptyBatch: PolicyViolationError,
  Executor_DelegateCallRefused: PolicyViolationError,
  Executor_UnsupportedOperation: PolicyViolationError,
};

/**
 * Turns whatever a transport threw (a viem error with revert data, a bundler rejection) into one of
 * y2c's typed errors, decoding the account's custom errors so the caller knows *why*.
 *
 * @param error What was thrown.
 * @param what The action, for the message.
 * @returns The typed error (never throws).
 */
export function toWalletError(error: unknown, what: string): AgentError {
  if (error instanceof AgentError) return error;
  const data = revertData(error);
  if (data) {
    try {
      const decoded = decodeErrorResult({ abi: agentAccountAbi, data });
      const ErrorClass = errorClasses[decoded.errorName] ?? TransactionRevertedError;
      const args = (decoded.args ?? []).map(String).join(', ');
      return new ErrorClass(`${what} was refused: ${decoded.errorName}(${args}).`, { cause: error });
    } catch {
      // Not one of the account's errors: fall through to the generic message.
    }
  }
  const message = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  const details = error instanceof BaseError ? error.details : undefined;
  const text = `${message} ${details ?? ''}`;
  if (/AA22|expired or not due|out of time.?range|not valid yet/i.test(text)) return new SessionExpiredError(`${what} was refused: the session is expired or not yet valid.`, { cause: error });
  if (/AA2[34]|signature error|AA21|AA25/i.test(text)) {
    return new UserOperationRejectedError(`${what} was refused by the bundler: ${message}`, { cause: error, details });
  }
  return new TransactionRevertedError(`${what} failed: ${message}`, { cause: error, details });
}
