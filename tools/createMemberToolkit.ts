import type { Address } from 'viem';
import { createTreasuryStatusTool } from './account/createTreasuryStatusTool.js';
import { createListComputeProvidersTool } from './compute/createListComputeProvidersTool.js';
import type { CreateY2cToolkitParameters } from './createY2cToolkit.js';
import { createRecallTool } from './memory/createRecallTool.js';
import { createRememberTool } from './memory/createRememberTool.js';
import { createMemberInfoTool } from './vault/createMemberInfoTool.js';

/** Parameters of {@link createMemberToolkit}: the toolkit's, plus the member whose conversation it serves. */
export type CreateMemberToolkitParameters = CreateY2cToolkitParameters & {
  /** The member talking to the agent. */
  member: Address;
};

/** Return type of {@link createMemberToolkit}. */
export type CreateMemberToolkitReturnType = {
  tools: ReturnType<typeof buildTools>[keyof ReturnType<typeof buildTools>][];
  byName: ReturnType<typeof buildTools>;
};

function buildTools(context: Parameters<typeof createTreasuryStatusTool>[0], member: Address) {
  return {
    treasury_status: createTreasuryStatusTool(context),
    list_compute_providers: createListComputeProvidersTool(context),
    member_info: createMemberInfoTool(context),
    remember: createRememberTool(context, { member }),
    recall: createRecallTool(context, { member }),
  };
}

/**
 * The tools of a member's conversation: reads only (treasury, providers, member info) and notes
 * scoped to that member (plus the agent's own on recall). No tool that changes the treasury
 * (`harvest_yield`, `buy_compute`, `close_compute_channel`) is offered, so no member's words can
 * move the agent's money; those stay with the autonomous loop and the treasury job, under the guard.
 *
 * @param parameters The toolkit's dependencies and the member.
 * @returns The tools as a list and by name.
 * @example const { tools } = createMemberToolkit({ wallet, publicClient, deployment, memory, guard, member })
 */
export function createMemberToolkit(parameters: CreateMemberToolkitParameters): CreateMemberToolkitReturnType {
  const byName = buildTools({ ...parameters, token: parameters.token ?? { symbol: 'USDx', decimals: 6 } }, parameters.member);
  return { tools: Object.values(byName), byName };
}
