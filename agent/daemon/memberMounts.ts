import type { PublicClient } from 'viem';
import type { Config } from '../../config/types.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import { createMemberApi } from '../api/createMemberApi.js';
import type { CreateCostMeterReturnType } from '../brain/createCostMeter.js';
import type { BrainProvider } from '../brain/BrainProvider.js';
import type { ChatMountFactory } from '../chat/ChatMount.js';
import { createMcpMount } from '../mcp/createMcpMount.js';

/** Parameters of {@link memberMounts}. */
export type MemberMountsParameters = {
  config: Config;
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: OpenAgentMemoryReturnType;
  /** The trusted providers the member API may route to, best first (the brain's cached directory). */
  providers: () => Promise<BrainProvider[]>;
  /** The agent's paying fetch and its meter. */
  fetch: typeof fetch;
  meter: Pick<CreateCostMeterReturnType, 'measureSettled'>;
};

/**
 * The surfaces the daemon mounts on the chat server beside the chat: the member's OpenAI-compatible
 * API at `/v1` (their yield as an API key, routed to the agent's trusted providers) and the MCP
 * server at `/mcp`.
 *
 * @param parameters Config, chain, memory, trust, the paying fetch and meter.
 * @returns Mount factories for `createChatServer({ mounts })`.
 * @example createChatServer({ ...params, mounts: memberMounts({ config, publicClient, deployment, memory, providers: directory.list, fetch: payingFetch, meter }) })
 */
export function memberMounts(parameters: MemberMountsParameters): ChatMountFactory[] {
  const { config, publicClient, deployment, memory } = parameters;
  return [
    createMemberApi({
      providers: parameters.providers,
      fetch: parameters.fetch,
      meter: parameters.meter,
    }),
    createMcpMount({
      client: publicClient,
      chainId: config.chain.id,
      vault: deployment.agent.vault,
      token: deployment.usdx,
      tokenInfo: config.chain.token,
      agent: deployment.agent.tba,
      memory,
      governor: deployment.governance?.governor,
    }),
  ];
}
