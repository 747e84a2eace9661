import type { PublicClient } from 'viem';
import { identityRegistryAbi } from '../../chain/abi/generated/identityRegistry.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import type { GuardedExecutor, GuardedReceipt } from '../../guard/createGuardedExecutor.js';
import type { RegistrationFile } from './buildRegistrationFile.js';
import { registrationDataUri } from './registrationDataUri.js';

/** Parameters of {@link publishRegistration}. */
export type PublishRegistrationParameters = {
  publicClient: PublicClient;
  deployment: AgentDeployment;
  guard: GuardedExecutor;
  file: RegistrationFile;
  /** Why (for the ledger). */
  reason: string;
};

/** What {@link publishRegistration} did. */
export type PublishRegistrationReturnType =
  | { published: true; uri: string; receipt: GuardedReceipt }
  | { published: false; uri: string; why: 'unchanged' | 'no identity' };

/**
 * Points the agent's ERC-8004 identity at `file` (as a `data:` URI) through the guarded executor,
 * unless the registry already holds exactly that URI (a restart with the same endpoints and charter
 * sends nothing).
 *
 * @param parameters Client, deployment, executor, file and reason.
 * @returns Whether it published, and the URI.
 */
export async function publishRegistration(parameters: PublishRegistrationParameters): Promise<PublishRegistrationReturnType> {
  const { publicClient, deployment, guard, file } = parameters;
  const uri = registrationDataUri(file);
  const registry = deployment.erc8004?.identityRegistry;
  if (!registry || deployment.agent.agentId === undefined) return { published: false, uri, why: 'no identity' };
  const agentId = BigInt(deployment.agent.agentId);
  const current = await publicClient.readContract({ address: registry, abi: identityRegistryAbi, functionName: 'tokenURI', args: [agentId] });
  if (current === uri) return { published: false, uri, why: 'unchanged' };
  const receipt = await guard.execute({ action: 'publish_identity', agentId, uri }, { reason: parameters.reason, origin: 'policy' });
  return { published: true, uri, receipt };
}
