export type { AgentDeployment } from './AgentDeployment.js';
export { createGuardedExecutor, type GuardedAction, type GuardedExecutor, type GuardedOrigin, type GuardedReceipt } from './createGuardedExecutor.js';
export { ledgerKindOf } from './ledgerKindOf.js';
export { ActionNotAllowedError, ChannelNotOwnedError, ComputeCapExceededError, CounterpartyNotAllowedError, UntrustedProviderError } from './errors.js';
export type { GuardedActionName, GuardPolicy } from './GuardPolicy.js';
export { guardPolicyFromConfig } from './guardPolicyFromConfig.js';
export { reconcileLedger, type ReconciledEntry } from './reconcileLedger.js';
