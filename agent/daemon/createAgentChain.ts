import { join } from 'node:path';
import { createPublicClient, defineChain, http, type Address, type Chain, type LocalAccount, type PublicClient } from 'viem';
import { foundry } from 'viem/chains';
import { createAgentWallet, type AgentWallet } from '../../chain/wallet/createAgentWallet.js';
import { loadSessionKey } from '../../chain/wallet/loadSessionKey.js';
import type { Config } from '../../config/types.js';
import type { AgentConnection } from './startAgent.js';

/** Parameters of {@link createAgentChain}. */
export type CreateAgentChainParameters = {
  config: Config;
  connection: AgentConnection;
  /** The agent's token-bound account. */
  tba: Address;
};

/** The daemon's chain clients. */
export type CreateAgentChainReturnType = {
  chain: Chain;
  publicClient: PublicClient;
  /** The session key (loaded from `connection.sessionKeyPath`, default `dataDir/keys/session.key`). */
  sessionKey: LocalAccount;
  /** The TBA driven by the session key over the configured transport. */
  wallet: AgentWallet;
};

/**
 * The chain half of the daemon's composition: the chain definition, a public client (the
 * connection's, or one made for its RPC), the session key and the agent wallet over the configured
 * transport (`userop` through the bundler, or `direct`).
 *
 * @param parameters Config, connection and the TBA.
 * @returns The clients.
 * @example const { publicClient, wallet } = createAgentChain({ config, connection, tba });
 */
export function createAgentChain(parameters: CreateAgentChainParameters): CreateAgentChainReturnType {
  const { config, connection, tba } = parameters;
  const chain: Chain =
    config.chain.id === foundry.id
      ? foundry
      : defineChain({ id: config.chain.id, name: config.chain.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [connection.rpcUrl] } } });
  const publicClient = connection.publicClient ?? (createPublicClient({ chain, transport: http(connection.rpcUrl), pollingInterval: config.chain.devnet ? 100 : 2_000 }) as PublicClient);
  const sessionKey = loadSessionKey({ path: connection.sessionKeyPath ?? join(config.dataDir, 'keys', 'session.key') });
  const wallet = createAgentWallet({
    publicClient,
    chain,
    rpcUrl: connection.rpcUrl,
    address: tba,
    sessionKey,
    transport:
      config.chain.transport === 'userop'
        ? { kind: 'userop', bundlerUrl: connection.bundlerUrl as string, entryPoint: connection.deployment.entryPoint }
        : { kind: 'direct' },
  });
  return { chain, publicClient, sessionKey, wallet };
}
