/** y2c's LangChain toolkit: the entry point for any LangChain app. */
export { createY2cToolkit, type CreateY2cToolkitParameters, type CreateY2cToolkitReturnType } from './createY2cToolkit.js';
export { createGuardedExecutor, guardPolicyFromConfig, reconcileLedger, type AgentDeployment, type GuardedAction, type GuardedExecutor, type GuardPolicy } from '../guard/index.js';
export type { Y2cToolContext } from './Y2cToolContext.js';
