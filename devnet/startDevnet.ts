import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, http, parseUnits, type Address, type PublicClient } from 'viem';
import { foundry } from 'viem/chains';
import { devnetEthDefaults } from '../chain/deploy/deployEthVault.js';
import { entryPointAddress } from '../chain/deploy/deployCanonical.js';
import { deployWorld, type AgentOwnerMode, type CharterSeed } from '../chain/deploy/deployWorld.js';
import type { GovernanceSettings } from '../chain/deploy/bootstrapGovernance.js';
import type { Deployment } from '../chain/deploy/deployment.js';
import { stake } from '../chain/vault/stake.js';
import { yieldVaultAbi } from '../chain/abi/generated/yieldVault.js';
import { devAccount, devRoles } from './devAccounts.js';
import { startAnvil, type StartAnvilReturnType } from './startAnvil.js';
import { startBundler, type StartBundlerReturnType } from './startBundler.js';
import type { Service } from './spawnService.js';
import { createLifecycle, type Lifecycle } from '../core/createLifecycle.js';

/** Parameters of {@link startDevnet}. */
export type StartDevnetParameters = {
  /** Folder for chain state, keys and the deployment (`.y2c`). */
  dataDir: string;
  /** anvil port; a free one when omitted. */
  anvilPort?: number;
  /** Bundler port; a free one when omitted. */
  bundlerPort?: number;
  /** Start the ERC-4337 bundler (default true). */
  bundler?: boolean;
  /** Keep chain state on disk across restarts (default true). */
  persist?: boolean;
  /** sUSDx APR in basis points. */
  aprBps?: number;
  /** Stake lock in seconds. */
  lockPeriodSeconds?: bigint;
  /** Challenge window of the market in seconds. */
  challengePeriodSeconds?: bigint;
  /** USDx the session key may approve per day, as a decimal string. */
  dailyTokenBudget?: string;
  /** Demo stakers to stake on first start, with their amounts (decimal USDx). */
  demoStakes?: readonly string[];
  /**
   * On first start, move chain time this far forward after the demo stakes (default 0), so a new
   * world starts with yield to harvest: the agent's first treasury run can buy compute and members
   * have a quota.
   */
  demoHistorySeconds?: number;
  /** Lifetime of the agent's session key, seconds (default a year; the economy bench runs past one). */
  sessionLifetimeSeconds?: number;
  /** Deploy the ETH vault and its Uniswap v3 conversion route (default true). */
  ethVault?: boolean;
  /** Reports progress. */
  onStep?: (step: string) => void;
  /** Who owns the agent: its community (default) or the first dev account (`y2c up --owner eoa`). */
  owner?: AgentOwnerMode;
  /** Charter v1 (config seeds it); a devnet default from the budget when omitted. */
  charter?: CharterSeed;
  /** x402 sellers the session key may fund besides the local provider (config `agent.x402.sellers`). */
  x402Sellers?: readonly Address[];
  /** Keeper of the revoke-only session guardian; none when omitted. */
  guardianKeeper?: Address;
  /** The chat endpoint the agent NFT's identity publishes (default http://127.0.0.1:8788). */
  chatEndpoint?: string;
  /**
   * Run once the contracts are deployed, while the demo stakes confirm and the bundler starts (e.g.
   * `y2c up` starts the compute provider here); the devnet is returned once all three are done, and
   * a failure of any stops it. What it started, it must stop itself when this throws.
   */
  alongside?: (world: { rpcUrl: string; publicClient: PublicClient; deployment: StartDevnetReturnType['deployment'] }) => Promise<void>;
  /**
   * The caller's lifecycle: anvil and the bundler become its parts as they start (so they stop in
   * reverse with the caller's own parts, and a failed start is unwound by the caller's `run`).
   * Without it the devnet has a lifecycle of its own and unwinds itself.
   */
  lifecycle?: Lifecycle;
  /** Told of each child service as soon as it runs (e.g. to record its pid for a later reap). */
  onService?: (name: 'anvil' | 'bundler (alto)', service: Service) => void;
};

/**
 * Governance on the devnet: short enough to try in minutes with `y2c warp`, long enough that
 * every step (delay, vote, timelock) is a real wait.
 */
const devnetGovernance: GovernanceSettings = {
  votingDelay: 300,
  votingPeriod: 86_400,
  proposalThreshold: 1_000_000n, // 1 USDx of principal
  quorumPercent: 4n,
  lateQuorumExtension: 3_600,
  timelockDelay: 86_400n,
};

/** The running local world. */
export type StartDevnetReturnType = {
  anvil: StartAnvilReturnType;
  bundler: StartBundlerReturnType | undefined;
  publicClient: PublicClient;
  deployment: Deployment & { agent: NonNullable<Deployment['agent']> };
  /** What this start deployed (empty on a restart). */
  deployed: string[];
  /** Path of the session key file. */
  sessionKeyPath: string;
  /** Stops the bundler, then anvil (which writes its state). */
  stop: () => Promise<void>;
};

/**
 * The embedded default's chain half: anvil from npm with state under `dataDir`, the canonical
 * registry and EntryPoint, y2c's contracts at deterministic addresses, the agent bootstrapped (NFT,
 * TBA, vault, session key with its policy), demo stakers staked on first start, and the bundler.
 * A second start against the same `dataDir` deploys nothing and keeps every balance.
 *
 * @param parameters Where to keep state, ports and economics.
 * @returns The running devnet and its deployment (also written to `dataDir/deployment.json`).
 */
export async function startDevnet(parameters: StartDevnetParameters): Promise<StartDevnetReturnType> {
  const { dataDir } = parameters;
  // The data folder holds keys, databases and chain state: owner only.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const owned = !parameters.lifecycle;
  const life = parameters.lifecycle ?? createLifecycle();
  const onService = parameters.onService ?? (() => {});
  // Without a caller's lifecycle, a failed start stops what it started here.
  const started = owned ? life.run(() => startParts(parameters, life, onService)) : startParts(parameters, life, onService);
  const { anvil, bundler, ...rest } = await started;
  const stopOnce = once(async () => {
    if (owned) return life.stop();
    await bundler?.stop();
    await anvil.stop();
  });
  return { anvil, bundler, ...rest, stop: stopOnce };
}

/** Runs `action` once; later calls get the first call's promise. */
function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}

/** The steps of {@link startDevnet}, each service a part of `life`. */
async function startParts(
  parameters: StartDevnetParameters,
  life: Lifecycle,
  onService: NonNullable<StartDevnetParameters['onService']>,
): Promise<Omit<StartDevnetReturnType, 'stop'>> {
  const { dataDir, onStep = () => {} } = parameters;
  const persist = parameters.persist ?? true;
  onStep('starting anvil');
  const anvil = await life.start(
    'anvil',
    () =>
      startAnvil({
        ...(parameters.anvilPort ? { port: parameters.anvilPort } : {}),
        ...(persist ? { statePath: join(dataDir, 'anvil-state.json') } : {}),
      }),
    (started) => started.stop(),
  );
  onService('anvil', anvil);
  // Deploying a world is hundreds of blocks: one state save at the end, not a full dump per block
  // (a kill meanwhile loses only the start, which the next start redoes: deployWorld is idempotent).
  const releaseSaves = anvil.holdSaves();
  {
    const publicClient = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl), pollingInterval: 100 });
    const owner = createWalletClient({ chain: foundry, transport: http(anvil.rpcUrl), account: devAccount(devRoles.owner).account, pollingInterval: 100 });
    const dailyTokenBudget = parseUnits(parameters.dailyTokenBudget ?? '100', 6);
    const charter: CharterSeed = parameters.charter ?? {
      constitution: 'You are y2c, an agent that pays for its own thinking with the yield its community stakes.',
      perCallCap: parseUnits('0.05', 6),
      dailyCap: dailyTokenBudget,
      runwayTargetHours: 24,
      // The local provider `y2c up` starts: the charter's list is the one the daemon's guard enforces.
      trustedProviders: [devAccount(devRoles.provider).account.address],
      proposalsPerPeriod: 3,
      proposalPeriod: 7 * 86_400,
    };
    // On a restart the EntryPoint is there already: the bundler (a slow start) starts at once,
    // while deployWorld checks what is deployed; on a new chain it starts once the EntryPoint is.
    let bundlerStarting: Promise<StartBundlerReturnType | undefined> | undefined;
    const startingBundler = (entryPoint: Address) => {
      bundlerStarting ??= (async () => {
        if (!(parameters.bundler ?? true)) return undefined;
        onStep('starting the bundler');
        const started = await life.start(
          'bundler (alto)',
          () =>
            startBundler({
              rpcUrl: anvil.rpcUrl,
              entryPoints: [entryPoint],
              executorKey: devAccount(devRoles.bundlerExecutor).privateKey,
              utilityKey: devAccount(devRoles.bundlerUtility).privateKey,
              ...(parameters.bundlerPort ? { port: parameters.bundlerPort } : {}),
            }),
          (bundler) => bundler.stop(),
        );
        onService('bundler (alto)', started);
        onStep('bundler ready');
        return started;
      })();
      return bundlerStarting;
    };
    const entryPointCode = await publicClient.getCode({ address: entryPointAddress });
    if (entryPointCode && entryPointCode !== '0x') void startingBundler(entryPointAddress).catch(() => undefined);
    const deployedWorld = await deployWorld(
      { publicClient, walletClient: owner },
      {
        dataDir,
        aprBps: parameters.aprBps ?? 500,
        lockPeriodSeconds: parameters.lockPeriodSeconds ?? 7n * 86_400n,
        challengePeriodSeconds: parameters.challengePeriodSeconds ?? 3_600n,
        dailyTokenBudget,
        sessionLifetimeSeconds: parameters.sessionLifetimeSeconds ?? 365 * 86_400,
        trustedProviders: [devAccount(devRoles.provider).account.address],
        // The local provider sells over x402 too (it is a trusted provider); these are the others.
        ...(parameters.x402Sellers ? { x402Sellers: parameters.x402Sellers } : {}),
        onStep,
        owner: parameters.owner ?? 'community',
        ...(parameters.ethVault === false ? {} : { eth: { ...devnetEthDefaults, lockPeriodSeconds: parameters.lockPeriodSeconds ?? 7n * 86_400n } }),
        governance: {
          charter,
          settings: devnetGovernance,
          ...(parameters.chatEndpoint ? { chatEndpoint: parameters.chatEndpoint } : {}),
          ...(parameters.guardianKeeper ? { guardianKeeper: parameters.guardianKeeper } : {}),
        },
      },
    );
    const { deployment, deployed, sessionKeyPath } = deployedWorld;
    const { agent } = deployment;
    // Independent of each other, so at once: the demo stakes (each staker its own account and
    // nonces), the bundler, and the caller's own start (the provider).
    const demo = async () => {
      const stakers = await publicClient.readContract({ address: agent.vault, abi: yieldVaultAbi, functionName: 'stakerCount' });
      if (stakers !== 0n) return;
      const stakes = parameters.demoStakes ?? ['1000', '2500', '5000'];
      if (stakes.length) onStep(`demo stakers stake ${stakes.join(', ')} USDx`);
      await Promise.all(
        stakes.map(async (amount, i) => {
          const walletClient = createWalletClient({
            chain: foundry,
            transport: http(anvil.rpcUrl),
            account: devAccount(devRoles.firstStaker + i).account,
            pollingInterval: 100,
          });
          await stake({ publicClient, walletClient }, { vault: agent.vault, asset: deployment.usdx, amount: parseUnits(amount, 6), useFaucet: true });
        }),
      );
      if (stakes.length && parameters.demoHistorySeconds) {
        onStep(`demo history: ${(parameters.demoHistorySeconds / 86_400).toFixed(1)} days of yield accrue (chain time moves forward)`);
        await publicClient.request({ method: 'evm_increaseTime' as never, params: [parameters.demoHistorySeconds] as never });
        await publicClient.request({ method: 'evm_mine' as never, params: [] as never });
      }
    };
    const [bundlerStart, ...others] = await Promise.allSettled([startingBundler(deployment.entryPoint), demo(), parameters.alongside?.({ rpcUrl: anvil.rpcUrl, publicClient, deployment })]);
    // A failure of any fails the start: the lifecycle stops what did start (the bundler too).
    const failed = [bundlerStart, ...others].find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const bundler: StartBundlerReturnType | undefined = bundlerStart.status === 'fulfilled' ? bundlerStart.value : undefined;
    // Saved in the background (the agent starts meanwhile); anvil's stop waits for it.
    void releaseSaves();
    return { anvil, bundler, publicClient, deployment, deployed, sessionKeyPath };
  }
}
