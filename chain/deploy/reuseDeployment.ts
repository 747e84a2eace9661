import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEther, type Address, type PublicClient } from 'viem';
import { agentAccountAbi } from '../abi/generated/agentAccount.js';
import type { Deployment } from './deployment.js';

/** Parameters of {@link reuseDeployment}. */
export type ReuseDeploymentParameters = {
  /** Folder of `deployment.json` and its fingerprint. */
  dataDir: string;
  /** What the world would be deployed from ({@link deploymentFingerprint}). */
  fingerprint: string;
  /** The session key the agent uses now. */
  sessionKey: Address;
};

const here = dirname(fileURLToPath(import.meta.url));
/** The file beside `deployment.json` naming what it was deployed from. */
export const fingerprintPath = (dataDir: string) => join(dataDir, 'deployment.fingerprint');

/**
 * What a deployment follows from: the deploy parameters, the chain and owner, the deploy code
 * (chain/deploy) and the contracts' bytecode (the generated ABI modules). Any change to one of
 * them, and a restart goes through the full, idempotent {@link deployWorld} again.
 *
 * @param inputs The deploy parameters (bigints allowed; functions are left out).
 * @returns A hex digest.
 */
export function deploymentFingerprint(inputs: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(inputs, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : typeof value === 'function' ? undefined : value)));
  for (const dir of [here, join(here, '..', 'abi', 'generated')]) {
    for (const file of readdirSync(dir).sort()) if (/\.[tj]s$/.test(file)) hash.update(file).update(readFileSync(join(dir, file)));
  }
  return hash.digest('hex');
}

/** Records the fingerprint of the deployment just written. */
export function writeDeploymentFingerprint(dataDir: string, fingerprint: string): void {
  writeFileSync(fingerprintPath(dataDir), `${fingerprint}\n`, { mode: 0o600 });
}

/**
 * The restart fast path: the recorded deployment, when it was made from the same inputs, every
 * contract it names has code on this chain, and nothing needs topping up (the TBA's gas, the session
 * key's ETH, an active session). All reads at once; undefined when anything differs, and the caller
 * runs the full deployment, which checks and repairs each step.
 *
 * @param publicClient The chain.
 * @param parameters Data folder, fingerprint and session key.
 * @returns The deployment, or undefined.
 */
export async function reuseDeployment(publicClient: PublicClient, parameters: ReuseDeploymentParameters): Promise<(Deployment & { agent: NonNullable<Deployment['agent']> }) | undefined> {
  const { dataDir, fingerprint, sessionKey } = parameters;
  const path = join(dataDir, 'deployment.json');
  if (!existsSync(path) || !existsSync(fingerprintPath(dataDir))) return undefined;
  if (readFileSync(fingerprintPath(dataDir), 'utf8').trim() !== fingerprint) return undefined;
  const deployment = JSON.parse(readFileSync(path, 'utf8')) as Deployment;
  const { agent } = deployment;
  if (!agent || agent.sessionKey.toLowerCase() !== sessionKey.toLowerCase()) return undefined;
  const contracts = addressesIn(deployment).filter((address) => address.toLowerCase() !== sessionKey.toLowerCase());
  const [chainId, codes, tbaBalance, keyBalance, session] = await Promise.all([
    publicClient.getChainId(),
    Promise.all(contracts.map((address) => publicClient.getCode({ address }))),
    publicClient.getBalance({ address: agent.tba }),
    publicClient.getBalance({ address: sessionKey }),
    publicClient.readContract({ address: agent.tba, abi: agentAccountAbi, functionName: 'getSession', args: [sessionKey] }).catch(() => undefined),
  ]);
  if (chainId !== deployment.chainId || codes.some((code) => !code || code === '0x')) return undefined;
  // The same thresholds as bootstrapAgent's top-ups.
  if (tbaBalance < parseEther('0.5') || keyBalance < parseEther('0.005') || !session?.[2]) return undefined;
  return { ...deployment, agent };
}

/** Every address in the deployment record but the session key's (an EOA) and the guardian keeper's. */
function addressesIn(value: unknown, key = ''): Address[] {
  if (typeof value === 'string') return /^0x[0-9a-fA-F]{40}$/.test(value) && key !== 'sessionKey' && key !== 'guardian' ? [value as Address] : [];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([name, inner]) => addressesIn(inner, name));
  return [];
}
