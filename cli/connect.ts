import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, http, type Account, type Chain, type PublicClient, type Transport, type WalletClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { baseSepolia, foundry } from 'viem/chains';
import type { Config } from '../config/types.js';
import { AgentError } from '../config/AgentError.js';
import type { Deployment } from '../chain/deploy/deployment.js';
import { devAccount, devRoles } from '../chain/devnet/devAccounts.js';
import { readRuntime } from './runtime.js';

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

/** Parameters of {@link userWallet}. */
export type UserWalletParameters = {
  /** Local dev account index (demo stakers start at 4). */
  devAccountIndex?: number | undefined;
  /** Path of a file holding a hex private key. */
  keyFile?: string | undefined;
};

/**
 * The wallet a person acts with: a key file, the configured env key, or on the local devnet a dev
 * account (the first demo staker by default).
 *
 * @param config Loaded config.
 * @param connection The chain.
 * @param parameters Which key.
 * @returns A wallet client.
 */
export function userWallet(
  config: Config,
  connection: Connection,
  parameters: UserWalletParameters,
): WalletClient<Transport, Chain, Account> {
  let account: Account;
  if (parameters.keyFile) {
    const text = readFileSync(parameters.keyFile, 'utf8').trim();
    if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw new AgentError(`${parameters.keyFile} does not hold a 32-byte hex private key.`);
    account = privateKeyToAccount(text as `0x${string}`);
  } else if (config.keys.staker && parameters.devAccountIndex === undefined) {
    account = privateKeyToAccount(config.keys.staker);
  } else if (config.network === 'local') {
    const index = parameters.devAccountIndex ?? devRoles.firstStaker;
    if (!Number.isInteger(index) || index < 0 || index > 9) throw new AgentError(`--dev-account must be 0-9 (the funded anvil accounts), got ${index}.`);
    account = devAccount(index).account;
  } else {
    throw new AgentError('No key to act with.', { details: 'Pass --key-file <path> or set Y2C_STAKER_KEY.' });
  }
  return createWalletClient({ account, chain: connection.chain, transport: http(connection.rpcUrl), pollingInterval: connection.publicClient.pollingInterval });
}
