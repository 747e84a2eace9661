import type { Address } from 'viem';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapAgent } from './bootstrapAgent.js';
import { deployContracts, type DeployClients } from './deployContracts.js';
import type { Deployment } from './deployment.js';
import { loadSessionKey } from '../wallet/loadSessionKey.js';

/** Parameters of {@link deployWorld}. */
export type DeployWorldParameters = {
  /** Folder of `deployment.json` and `keys/session.key`. */
  dataDir: string;
  /** sUSDx APR in basis points. */
  aprBps: number;
  /** Seconds a stake stays locked. */
  lockPeriodSeconds: bigint;
  /** Challenge window of the market in seconds. */
  challengePeriodSeconds: bigint;
  /** Payment-token units the session key may approve per day. */
  dailyTokenBudget: bigint;
  /** Seconds the session stays valid. */
  sessionLifetimeSeconds: number;
  /** Providers the agent's session key may open channels with. */
  trustedProviders: readonly Address[];
  /** Reports progress. */
  onStep?: (step: string) => void;
};

/** What {@link deployWorld} did. */
export type DeployWorldReturnType = {
  deployment: Deployment & { agent: NonNullable<Deployment['agent']> };
  /** Contracts deployed now (empty when everything was there). */
  deployed: string[];
  /** Path of the session key file. */
  sessionKeyPath: string;
};

/**
 * Deploys y2c's contracts (idempotently, CREATE2) and bootstraps the agent (NFT, TBA, vault,
 * session key and its policy) with the wallet client as owner, then writes `dataDir/deployment.json`.
 * Used by the devnet and by `y2c deploy`; a second run changes nothing.
 *
 * @param clients Public client and the owner's wallet client.
 * @param parameters Where to write, and the economics baked into the contracts.
 * @returns The deployment, what was deployed now, and the session key's path.
 */
export async function deployWorld(clients: DeployClients, parameters: DeployWorldParameters): Promise<DeployWorldReturnType> {
  const { dataDir, onStep = () => {} } = parameters;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  onStep('deploying contracts');
  const { deployment: shared, deployed } = await deployContracts(clients, {
    owner: clients.walletClient.account.address,
    aprBps: parameters.aprBps,
    challengePeriodSeconds: parameters.challengePeriodSeconds,
  });
  const deploymentPath = join(dataDir, 'deployment.json');
  const previous = existsSync(deploymentPath) ? (JSON.parse(readFileSync(deploymentPath, 'utf8')) as Deployment) : undefined;
  const sessionKeyPath = join(dataDir, 'keys', 'session.key');
  const sessionKey = loadSessionKey({ path: sessionKeyPath, create: true });
  const withAgent = await bootstrapAgent(clients, {
    deployment: previous?.agent && previous.computeMarket === shared.computeMarket ? { ...shared, agent: previous.agent } : shared,
    sessionKey,
    lockPeriodSeconds: parameters.lockPeriodSeconds,
    dailyTokenBudget: parameters.dailyTokenBudget,
    sessionLifetimeSeconds: parameters.sessionLifetimeSeconds,
    trustedProviders: parameters.trustedProviders,
    onStep,
  });
  const { agent } = withAgent;
  if (!agent) throw new Error('bootstrap returned no agent');
  const deployment = { ...withAgent, agent };
  writeFileSync(deploymentPath, `${JSON.stringify(deployment, null, 2)}\n`, { mode: 0o600 });
  chmodSync(deploymentPath, 0o600);
  return { deployment, deployed, sessionKeyPath };
}
