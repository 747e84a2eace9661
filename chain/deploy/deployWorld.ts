import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapAgent } from './bootstrapAgent.js';
import { bootstrapGovernance, type GovernanceSettings } from './bootstrapGovernance.js';
import { bootstrapIdentity } from './bootstrapIdentity.js';
import { deployErc8004 } from './deployErc8004.js';
import { deployEthVault, type DeployEthVaultParameters } from './deployEthVault.js';
import { yieldConverterAbi } from '../abi/generated/yieldConverter.js';
import { confirmTransaction } from '../confirmTransaction.js';
import { deployContracts, type DeployClients } from './deployContracts.js';
import type { Deployment, Erc8004Deployment } from './deployment.js';
import { loadSessionKey } from '../wallet/loadSessionKey.js';
import { deploymentFingerprint, reuseDeployment, writeDeploymentFingerprint } from './reuseDeployment.js';
import type { SessionPolicy } from '../wallet/agentSessionPolicy.js';
import { getAddress, parseEther, parseGwei, type Address } from 'viem';
import { x402BatchSettlementAddress } from './deployX402.js';

/** Who owns the agent: its community (timelock + governor, the default) or the deployer's key. */
export type AgentOwnerMode = 'community' | 'eoa';

/** What config seeds charter version 1 with (session bounds follow from the deployment). */
export type CharterSeed = {
  constitution: string;
  /** Payment-token units one inference call may cost. */
  perCallCap: bigint;
  /** Payment-token units the agent may commit to compute per day. */
  dailyCap: bigint;
  runwayTargetHours: number;
  trustedProviders: readonly Address[];
  /** Proposals the agent may file per `proposalPeriod` seconds. */
  proposalsPerPeriod: number;
  proposalPeriod: number;
};

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
  /**
   * x402 sellers the session key may fund (beside the trusted providers, which may sell over x402 too).
   * The session policy gets the x402 scope whenever the escrow has code at its canonical address.
   */
  x402Sellers?: readonly Address[];
  /** Reports progress. */
  onStep?: (step: string) => void;
  /** Who owns the agent (default: its community). */
  owner?: AgentOwnerMode;
  /** The canonical ERC-8004 registries of a real network (its preset); without them ours are deployed. */
  erc8004?: Erc8004Deployment;
  /** Charter v1 and the governor's settings (self-owned worlds). */
  governance?: { charter: CharterSeed; settings: GovernanceSettings; guardianKeeper?: Address; chatEndpoint?: string };
  /** Also deploy the ETH vault and its Uniswap v3 conversion route (the devnet does). */
  eth?: Omit<DeployEthVaultParameters, 'deployment' | 'onStep'>;
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
  const sessionKeyPath = join(dataDir, 'keys', 'session.key');
  const sessionKey = loadSessionKey({ path: sessionKeyPath, create: true });
  // A restart of the same world sends nothing and checks everything at once (no step-by-step reads).
  const { onStep: _onStep, ...inputs } = parameters;
  const fingerprint = deploymentFingerprint({ ...inputs, owner: clients.walletClient.account.address });
  const reused = await reuseDeployment(clients.publicClient, { dataDir, fingerprint, sessionKey: sessionKey.address });
  if (reused) {
    onStep('contracts already deployed: deployment.json checked against the chain');
    return { deployment: reused, deployed: [], sessionKeyPath };
  }
  onStep('deploying contracts');
  const { deployment: shared, deployed } = await deployContracts(clients, {
    owner: clients.walletClient.account.address,
    aprBps: parameters.aprBps,
    challengePeriodSeconds: parameters.challengePeriodSeconds,
  });
  let registries: Erc8004Deployment;
  if (parameters.erc8004) registries = parameters.erc8004;
  else {
    const ours = await deployErc8004(clients);
    deployed.push(...ours.deployed);
    registries = { identityRegistry: ours.identityRegistry, reputationRegistry: ours.reputationRegistry };
  }
  const deploymentPath = join(dataDir, 'deployment.json');
  const previous = existsSync(deploymentPath) ? (JSON.parse(readFileSync(deploymentPath, 'utf8')) as Deployment) : undefined;
  const community = (parameters.owner ?? 'community') === 'community';
  // x402 (issue 14): the escrow at its canonical address (placed by deployContracts on the devnet,
  // the canonical deployment elsewhere) puts the x402 scope in the session policy.
  const escrowCode = await clients.publicClient.getCode({ address: x402BatchSettlementAddress });
  const x402 =
    escrowCode && escrowCode !== '0x'
      ? { escrow: x402BatchSettlementAddress, trustedSellers: [...new Set([...parameters.trustedProviders, ...(parameters.x402Sellers ?? [])].map((address) => getAddress(address)))] }
      : undefined;
  // A self-owned agent's session is granted by its timelock, once the timelock holds the NFT.
  let pendingPolicy: SessionPolicy | undefined;
  const withAgent = await bootstrapAgent(clients, {
    deployment: previous?.agent && previous.computeMarket === shared.computeMarket ? { ...shared, agent: previous.agent } : shared,
    sessionKey,
    erc8004: registries,
    lockPeriodSeconds: parameters.lockPeriodSeconds,
    dailyTokenBudget: parameters.dailyTokenBudget,
    sessionLifetimeSeconds: parameters.sessionLifetimeSeconds,
    trustedProviders: parameters.trustedProviders,
    ...(x402 ? { x402 } : {}),
    onStep,
    ...(community
      ? {
          grantSession: async (policy: SessionPolicy) => {
            pendingPolicy = policy;
          },
        }
      : {}),
  });
  const { agent } = withAgent;
  if (!agent) throw new Error('bootstrap returned no agent');
  // The ERC-8004 identity, while the deployer still holds the NFT (its wallet proof needs the owner's signature).
  let deployment: DeployWorldReturnType['deployment'] = await bootstrapIdentity(clients, { deployment: { ...withAgent, agent, erc8004: registries }, onStep });
  if (community) {
    const governance = parameters.governance;
    if (!governance) throw new Error('a self-owned world needs its charter and governance settings');
    const known = previous?.governance && previous.agent?.tba === agent.tba ? previous.governance : undefined;
    const knownCode = known ? await clients.publicClient.getCode({ address: known.governor }) : undefined;
    const seed = governance.charter;
    deployment = {
      ...deployment,
      governance:
        known && knownCode && knownCode !== '0x'
          ? known
          : await bootstrapGovernance(clients, {
              deployment,
              ...(pendingPolicy ? { session: { key: sessionKey.address, policy: pendingPolicy } } : {}),
              charter: {
                constitution: seed.constitution,
                limits: {
                  trustedProviders: seed.trustedProviders,
                  perCallCap: seed.perCallCap,
                  dailyCap: seed.dailyCap,
                  runwayTargetHours: seed.runwayTargetHours,
                  proposalsPerPeriod: seed.proposalsPerPeriod,
                  proposalPeriod: seed.proposalPeriod,
                  // Session bounds: the bootstrap policy, with room for one renewal a lifetime ahead.
                  maxSessionDuration: parameters.sessionLifetimeSeconds + 30 * 86_400,
                  maxSessionCallsPerPeriod: 500,
                  maxSessionNativePerPeriod: parseEther('0.05'),
                  maxSessionTokenPerPeriod: parameters.dailyTokenBudget,
                  // The bootstrap policy's gas allowance and fee cap (agentSessionPolicy's defaults).
                  maxSessionGasAllowance: pendingPolicy?.gasAllowance ?? parseEther('1'),
                  maxSessionFeePerGas: pendingPolicy?.maxFeePerGas ?? parseGwei('100'),
                  sessionTargets: [agent.vault, deployment.usdx, deployment.computeMarket, registries.identityRegistry, registries.reputationRegistry, ...(x402 ? [x402.escrow] : [])],
                },
              },
              settings: governance.settings,
              chatEndpoint: governance.chatEndpoint ?? 'http://127.0.0.1:8788',
              ...(governance.guardianKeeper ? { guardianKeeper: governance.guardianKeeper } : {}),
              onStep,
            }),
    };
  }
  if (parameters.eth) deployment = await withEthVault(clients, deployment, parameters.eth, onStep);
  writeFileSync(deploymentPath, `${JSON.stringify(deployment, null, 2)}\n`, { mode: 0o600 });
  chmodSync(deploymentPath, 0o600);
  writeDeploymentFingerprint(dataDir, fingerprint);
  return { deployment, deployed, sessionKeyPath };
}

/** Adds the ETH vault; in a self-owned world its converter's bounds go to the timelock. */
async function withEthVault(
  clients: DeployClients,
  deployment: DeployWorldReturnType['deployment'],
  eth: NonNullable<DeployWorldParameters['eth']>,
  onStep: (step: string) => void,
): Promise<DeployWorldReturnType['deployment']> {
  const deployed = await deployEthVault(clients, { ...eth, deployment, onStep });
  const timelock = deployment.governance?.timelock;
  if (timelock) {
    const { publicClient, walletClient } = clients;
    // The converter's bounds and the ETH source's settings are the community's, as sUSDx's are.
    for (const [address, name] of [
      [deployed.converter, 'the converter'],
      [deployed.source, 'the ETH source'],
    ] as const) {
      const owner = await publicClient.readContract({ address, abi: yieldConverterAbi, functionName: 'owner' });
      if (owner === walletClient.account.address) {
        onStep(`handing ${name} to the timelock`);
        const hash = await walletClient.writeContract({ address, abi: yieldConverterAbi, functionName: 'transferOwnership', args: [timelock] });
        await confirmTransaction(publicClient, hash, `Handing ${name} to the timelock`);
      }
    }
  }
  return { ...deployment, eth: deployed };
}
