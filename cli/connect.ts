import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, http, type Account, type Chain, type PublicClient, type Transport, type WalletClient } from 'viem';
import { baseSepolia, foundry } from 'viem/chains';
import type { Config } from '../config/types.js';
import { AgentError } from '../core/AgentError.js';
import type { Deployment } from '../chain/deploy/deployment.js';
import { readRuntime } from './runtime.js';
import { roleAccount, type Role, type RoleAccountParameters } from './roleAccount.js';

/** A command's view of the chain. */
export type Connection = {
  chain: Chain;
  rpcUrl: string;
  bundlerUrl: string | undefined;
  publicClient: PublicClient;
  deployment: Deployment & { agent: NonNullable<Deployment['agent']> };
};

/**
 * Reaches the chain a command should act on: the configured RPC on a real network, or the devnet
 * that `y2c up` runs locally; and the deployment (`.y2c/deployment.json` locally, config otherwise).
 *
 * @param config The loaded config.
 * @returns Clients and addresses.
 */
export function connect(config: Config): Connection {
  const local = config.network === 'local';
  const runtime = local && !config.chain.rpcUrl ? readRuntime(config.dataDir) : undefined;
  const rpcUrl = config.chain.rpcUrl ?? runtime?.rpcUrl;
  if (!rpcUrl) throw new AgentError('No RPC URL.', { details: 'Set chain.rpcUrl in y2c.config.json or Y2C_RPC_URL.' });
  const chain = local ? foundry : baseSepolia;
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: local ? 100 : 2_000 }) as PublicClient;
  const path = join(config.dataDir, 'deployment.json');
  if (!existsSync(path)) {
    throw new AgentError(`No deployment at ${path}.`, { details: local ? 'Run `npm start` first.' : 'Run `y2c deploy` first.' });
  }
  const deployment = JSON.parse(readFileSync(path, 'utf8')) as Deployment;
  if (!deployment.agent) throw new AgentError('The agent is not bootstrapped yet.', { details: 'Run `npm start` first.' });
  return { chain, rpcUrl, bundlerUrl: config.chain.bundlerUrl ?? runtime?.bundlerUrl, publicClient, deployment: { ...deployment, agent: deployment.agent } };
}

/**
 * A wallet client on the connected chain for one role (see {@link roleAccount}): a key file, a dev
 * account on the local devnet, or the role's environment key.
 *
 * @param config Loaded config.
 * @param connection The chain.
 * @param parameters Key file or dev account index.
 * @param role Who acts (default: a staker).
 * @returns A wallet client.
 */
export function userWallet(
  config: Config,
  connection: Pick<Connection, 'chain' | 'rpcUrl' | 'publicClient'>,
  parameters: RoleAccountParameters,
  role: Role = 'staker',
): WalletClient<Transport, Chain, Account> {
  const account = roleAccount(config, role, parameters);
  return createWalletClient({ account, chain: connection.chain, transport: http(connection.rpcUrl), pollingInterval: connection.publicClient.pollingInterval });
}
