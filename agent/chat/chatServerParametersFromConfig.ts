import type { Address, Client } from 'viem';
import type { Config } from '../../config/types.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { CreateChatServerParameters } from './createChatServer.js';
import { readSourceAprBps } from './readSourceAprBps.js';
import type { Responder } from './Responder.js';

/** Parameters of {@link chatServerParametersFromConfig}. */
export type ChatServerParametersFromConfigParameters = {
  config: Config;
  /** Public client on the agent's chain. */
  client: Client;
  /** Where the agent lives (`.y2c/deployment.json`). */
  deployment: { usdx: Address; agent: { vault: Address; tba: Address }; governance?: { governor: Address; charter: Address; timelock: Address } | undefined; eth?: { vault: Address; converter: Address } | undefined };
  memory: OpenAgentMemoryReturnType;
  /** The brain. */
  responder: Responder;
  /** JSON-RPC URL of the local devnet (enables the dev-account picker and `/rpc`); omit elsewhere. */
  devnetRpcUrl?: string;
  /** The built page (agent/web/buildWeb.ts `webDist`). */
  webRoot?: string;
};

/**
 * What the daemon passes to {@link createChatServer}: listen address from `agent.chat`, pass from
 * `agent.pass`, token from `chain.token`, the APR read from the vault's source (cached for a
 * minute) with `devnet.aprBps` as fallback.
 *
 * @param parameters Config, chain, memory, responder.
 * @returns Parameters for `createChatServer`.
 * @example const chat = await createChatServer(chatServerParametersFromConfig({ config, client, deployment, memory, responder, webRoot: webDist }))
 */
export function chatServerParametersFromConfig(parameters: ChatServerParametersFromConfigParameters): CreateChatServerParameters {
  const { config, client, deployment, memory, responder } = parameters;
  let cached: { at: number; bps: number } | undefined;
  const aprBps = async () => {
    if (!cached || Date.now() - cached.at > 60_000) {
      cached = { at: Date.now(), bps: await readSourceAprBps({ client, vault: deployment.agent.vault, fallbackBps: config.devnet.aprBps }) };
    }
    return cached.bps;
  };
  return {
    client,
    chainId: config.chain.id,
    vault: deployment.agent.vault,
    // ETH stakers chat too: their converted yield is their quota.
    ...(deployment.eth ? { ethVault: { vault: deployment.eth.vault, converter: deployment.eth.converter } } : {}),
    token: deployment.usdx,
    tokenInfo: config.chain.token,
    decimals: config.chain.token.decimals,
    agent: deployment.agent.tba,
    pass: config.agent.pass,
    memory,
    responder,
    aprBps,
    // One reply is at most the brain's turns (8 by default) of calls under the per-request cap.
    limits: { maxReplyCost: config.agent.caps.perRequestCap * 8n },
    host: config.agent.chat.host,
    port: config.agent.chat.port,
    ...(parameters.devnetRpcUrl && config.chain.devnet ? { devnetRpcUrl: parameters.devnetRpcUrl } : {}),
    ...(parameters.webRoot ? { webRoot: parameters.webRoot } : {}),
    ...(deployment.governance ? { governance: { governor: deployment.governance.governor, charter: deployment.governance.charter, timelock: deployment.governance.timelock } } : {}),
  };
}
