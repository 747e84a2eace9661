import type { Address, PublicClient } from 'viem';
import type { AgentWallet } from '../chain/wallet/createAgentWallet.js';
import type { OpenAgentMemoryReturnType } from '../memory/openAgentMemory.js';
import { createTreasuryStatusTool } from './account/createTreasuryStatusTool.js';
import { createBuyComputeTool } from './compute/createBuyComputeTool.js';
import { createBuyX402ServiceTool, type CreateBuyX402ServiceToolParameters } from './compute/createBuyX402ServiceTool.js';
import { createCloseComputeChannelTool } from './compute/createCloseComputeChannelTool.js';
import { createListComputeProvidersTool } from './compute/createListComputeProvidersTool.js';
import { createProposeToCommunityTool } from './governance/createProposeToCommunityTool.js';
import type { AgentDeployment } from '../guard/AgentDeployment.js';
import type { GuardedExecutor } from '../guard/createGuardedExecutor.js';
import { createRecallTool } from './memory/createRecallTool.js';
import { createRememberTool } from './memory/createRememberTool.js';
import { createHarvestYieldTool } from './vault/createHarvestYieldTool.js';
import { createMemberInfoTool } from './vault/createMemberInfoTool.js';

/** Parameters of {@link createY2cToolkit}. */
export type CreateY2cToolkitParameters = {
  wallet: Pick<AgentWallet, 'address' | 'sessionKey'>;
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'ledger' | 'channels' | 'kv'>;
  /** Every write goes through it. */
  guard: GuardedExecutor;
  /** Payment token display (default USDx, 6 decimals). */
  token?: { symbol: string; decimals: number };
  /** ERC-8004 clients whose provider feedback `list_compute_providers` shows. */
  reputationClients?: readonly Address[];
  /**
   * x402 buying: the paying fetch (its `x402` option pays the services' origins) and the allowlisted
   * services; with it the toolkit has `buy_x402_service`.
   */
  x402?: CreateBuyX402ServiceToolParameters;
};

type Tools = ReturnType<typeof buildTools> & { buy_x402_service?: ReturnType<typeof createBuyX402ServiceTool> };

/** The toolkit: the tools by name, and as a list for `createAgent({ tools })`. */
export type CreateY2cToolkitReturnType = {
  tools: NonNullable<Tools[keyof Tools]>[];
  byName: Tools;
};

function buildTools(context: Parameters<typeof createTreasuryStatusTool>[0]) {
  return {
    treasury_status: createTreasuryStatusTool(context),
    harvest_yield: createHarvestYieldTool(context),
    list_compute_providers: createListComputeProvidersTool(context),
    buy_compute: createBuyComputeTool(context),
    close_compute_channel: createCloseComputeChannelTool(context),
    member_info: createMemberInfoTool(context),
    remember: createRememberTool(context),
    recall: createRecallTool(context),
    propose_to_community: createProposeToCommunityTool(context),
  };
}

/**
 * y2c's on-chain actions as LangChain tools, for any LangChain app: treasury_status, harvest_yield,
 * list_compute_providers, buy_compute, close_compute_channel, member_info, remember, recall,
 * propose_to_community, and buy_x402_service when `x402` is given (the autonomous loop's; members'
 * conversations use createMemberToolkit, which has no writes, no proposals and no purchases). Writes go
 * through the guarded executor only.
 *
 * @param parameters Wallet, chain, deployment, memory and guard.
 * @returns The tools.
 * @example
 * const { tools } = createY2cToolkit({ wallet, publicClient, deployment, memory, guard });
 * const agent = createAgent({ model, tools });
 */
export function createY2cToolkit(parameters: CreateY2cToolkitParameters): CreateY2cToolkitReturnType {
  const { x402, ...context } = parameters;
  const built = buildTools({ ...context, token: parameters.token ?? { symbol: 'USDx', decimals: 6 } });
  const byName: Tools = x402 ? { ...built, buy_x402_service: createBuyX402ServiceTool(x402) } : built;
  return { tools: Object.values(byName).filter((tool) => tool !== undefined), byName };
}
