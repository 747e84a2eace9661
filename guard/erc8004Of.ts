import type { AgentDeployment } from './AgentDeployment.js';
import { ActionNotAllowedError } from './errors.js';

/**
 * The ERC-8004 registries of the deployment and the agent's own id there (an identity action
 * without registries is refused).
 *
 * @param deployment The deployment.
 * @returns `{ registries, agentId }`.
 * @throws {ActionNotAllowedError} When the deployment names no registries.
 * @example const { registries } = erc8004Of(deployment);
 */
export function erc8004Of(deployment: AgentDeployment): { registries: NonNullable<AgentDeployment['erc8004']>; agentId: bigint | undefined } {
  if (!deployment.erc8004) throw new ActionNotAllowedError('The deployment names no ERC-8004 registries.');
  return { registries: deployment.erc8004, agentId: deployment.agent.agentId === undefined ? undefined : BigInt(deployment.agent.agentId) };
}
