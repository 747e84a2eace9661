import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPublicClient, createWalletClient, defineChain, http, type Address, type Chain, type PublicClient } from 'viem';
import { foundry } from 'viem/chains';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import type { StartDevnetReturnType } from '../../devnet/startDevnet.js';
import { createAgentWallet, type AgentWallet } from '../../chain/wallet/createAgentWallet.js';
import { loadSessionKey } from '../../chain/wallet/loadSessionKey.js';
import { AgentError } from '../../core/AgentError.js';
import type { Config } from '../../config/types.js';
import { openAgentMemory, type OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { createPayingFetch } from '../../tools/compute/createPayingFetch.js';
import { createAgentPayingStore, type CreateAgentPayingStoreReturnType } from '../../tools/compute/createAgentPayingStore.js';
import { mergeComputeDatabase } from '../../memory/mergeComputeDatabase.js';
import { createMemberToolkit } from '../../tools/createMemberToolkit.js';
import { createY2cToolkit, type CreateY2cToolkitReturnType } from '../../tools/createY2cToolkit.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import { createGuardedExecutor, type GuardedExecutor } from '../../guard/createGuardedExecutor.js';
import { guardPolicyFromConfig } from '../../guard/guardPolicyFromConfig.js';
import { reconcileLedger } from '../../guard/reconcileLedger.js';
import { createBrain, type Brain } from '../brain/createBrain.js';
import { createChannelPicker } from '../brain/createChannelPicker.js';
import { createCostMeter } from '../brain/createCostMeter.js';
import { chatServerParametersFromConfig } from '../chat/chatServerParametersFromConfig.js';
import { createBrainResponder } from '../chat/createBrainResponder.js';
import { createChatServer, type CreateChatServerReturnType } from '../chat/createChatServer.js';
import { createProviderDirectory } from '../brain/createProviderDirectory.js';
import { createMemberReads } from '../chat/createMemberReads.js';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { runReflect } from '../jobs/runReflect.js';
import { runSettleCheck } from '../jobs/runSettleCheck.js';
import { rateProviders } from '../reputation/rateProviders.js';
import { runConversion } from '../jobs/runConversion.js';
import { treasuryParamsFromConfig } from '../policy/treasuryParamsFromConfig.js';
import { createScheduler, type Scheduler } from '../scheduler/createScheduler.js';
import { createSingleFlightJob } from '../scheduler/createSingleFlightJob.js';
import type { Logger } from '../scheduler/Logger.js';
import { runTreasury } from '../treasury/runTreasury.js';
import type { TreasuryContext } from '../treasury/TreasuryContext.js';
import { buildRegistrationFile, type RegistrationFile } from '../identity/buildRegistrationFile.js';
import { publishRegistration, type PublishRegistrationReturnType } from '../identity/publishRegistration.js';
import { createPinoLogger } from './createPinoLogger.js';
import { createCharterView, type CharterView } from './createCharterView.js';
import { createTreasurySummaryView } from './createTreasurySummaryView.js';
import { guardPolicyFromCharter } from './guardPolicyFromCharter.js';
import { startHealthServer } from './startHealthServer.js';
import { memberMounts } from './memberMounts.js';
import { telegramFromConfig } from './telegramFromConfig.js';

/** How to reach a chain the agent did not start. */
export type AgentConnection = {
  rpcUrl: string;
  /** Needed with transport "userop". */
  bundlerUrl?: string | undefined;
  deployment: AgentDeployment;
  /** Session key file (default `dataDir/keys/session.key`). */
  sessionKeyPath?: string;
};

/** Options of {@link startAgent}: a running devnet, or a connection. */
export type StartAgentOptions = ({ devnet: StartDevnetReturnType; connection?: undefined } | { connection: AgentConnection; devnet?: undefined }) & {
  /** Chat channel port (default config `agent.chat.port`; 0 for a free one). */
  chatPort?: number;
  /** Health endpoint port (default chat port + 1, or a free one when the chat port is 0; 0 for a free one). */
  healthPort?: number;
  /** Exponential backoff of a failing job (default 30 s doubling up to 15 min). */
  jobBackoff?: { baseMs: number; maxMs: number };
  /** Providers trusted on top of the config's (on local, the provider `y2c up` starts is added). */
  trustedProviders?: readonly Address[];
  /** Run the treasury job once right after start (default true). */
  runTreasuryOnStart?: boolean;
  /** Install SIGTERM/SIGINT handlers: the first stops gracefully, a second forces exit (default false). */
  handleSignals?: boolean;
  /** Logger (default pino at config.logLevel). */
  log?: Logger;
};

/** The running agent. */
export type StartAgentReturnType = {
  tba: Address;
  memory: OpenAgentMemoryReturnType;
  /** The paying client's state, in memory's database (channels, calls, receipts, distrust list). */
  payingStore: CreateAgentPayingStoreReturnType;
  wallet: AgentWallet;
  guard: GuardedExecutor;
  toolkit: CreateY2cToolkitReturnType;
  brain: Brain;
  scheduler: Scheduler;
  /** The charter in force (chain, or config in owner mode), kept fresh by its events. */
  charter: CharterView;
  /** `GET` it for the daemon's health JSON. */
  healthUrl: string;
  /** The chat channel and web page (`http://host:port`). */
  chatUrl: string;
  /** The chat server. */
  chat: CreateChatServerReturnType;
  /** The agent's ERC-8004 identity: its registration file (served at `/.well-known/agent-registration.json`) and the last publication. */
  identity: { file: () => RegistrationFile | undefined; lastPublish: () => Promise<PublishRegistrationReturnType | undefined> };
  /** Stops the jobs (waiting for a running tick), the chat and health servers, and closes memory. Idempotent. */
  stop: () => Promise<void>;
  /** Resolves once the agent has stopped. */
  stopped: Promise<void>;
};

/** The built web page (agent/web/buildWeb.ts writes it; `npm run build` runs that). */
const webDist = fileURLToPath(new URL('../web/dist', import.meta.url));

/** The agent cannot start (missing deployment, RPC or bundler). */
export class AgentStartError extends AgentError {
  override name = 'AgentStartError' as const;
}

/**
 * The daemon's composition root: opens the memory (SQLite, WAL) and the paying store, builds the
 * wallet (session key over the configured transport), the guarded executor (policy from config),
 * the toolkit, the brain (paid provider, failover), reconciles the ledger with the chain, then runs
 * the treasury, settle and reflect jobs on their cron schedules (a failing job backs off), serves the
 * chat channel and web page (`agent.chat`; members' replies come from the brain, streamed, and are
 * charged what their paid calls cost) and a health endpoint.
 *
 * @param config Loaded config.
 * @param options A devnet (`y2c up`) or a connection (`y2c start`), and daemon options.
 * @returns The running agent.
 * @throws {AgentStartError} When the chain or deployment is missing.
 * @example
 * const agent = await startAgent(config, { devnet });          // inside `y2c up`
 * const agent = await startAgent(config, { connection: { rpcUrl, deployment }, handleSignals: true }); // `y2c start`
 * await agent.stopped;
 */
export async function startAgent(config: Config, options: StartAgentOptions): Promise<StartAgentReturnType> {
  const log = options.log ?? createPinoLogger({ level: config.logLevel });
  const connection: AgentConnection = options.devnet
    ? { rpcUrl: options.devnet.anvil.rpcUrl, bundlerUrl: options.devnet.bundler?.bundlerUrl, deployment: options.devnet.deployment as AgentDeployment, sessionKeyPath: options.devnet.sessionKeyPath }
    : options.connection;
  const deployment = connection.deployment.erc8004 || !config.chain.erc8004 ? connection.deployment : { ...connection.deployment, erc8004: config.chain.erc8004 };
  if (!deployment.agent) throw new AgentStartError('The deployment has no bootstrapped agent.', { details: 'Run `y2c up` (local) or bootstrap the agent, then start again.' });
  const chain: Chain =
    config.chain.id === foundry.id
      ? foundry
      : defineChain({ id: config.chain.id, name: config.chain.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [connection.rpcUrl] } } });
  const publicClient = (options.devnet?.publicClient ?? createPublicClient({ chain, transport: http(connection.rpcUrl), pollingInterval: config.chain.devnet ? 100 : 2_000 })) as PublicClient;
  const sessionKey = loadSessionKey({ path: connection.sessionKeyPath ?? join(config.dataDir, 'keys', 'session.key') });
  if (config.chain.transport === 'userop' && !connection.bundlerUrl) {
    throw new AgentStartError('Transport "userop" needs a bundler URL.', { details: 'Set chain.bundlerUrl in y2c.config.json, or chain.transport to "direct".' });
  }
  const wallet = createAgentWallet({
    publicClient,
    chain,
    rpcUrl: connection.rpcUrl,
    address: deployment.agent.tba,
    sessionKey,
    transport: config.chain.transport === 'userop' ? { kind: 'userop', bundlerUrl: connection.bundlerUrl as string, entryPoint: deployment.entryPoint } : { kind: 'direct' },
  });
  // One store: the agent's memory also holds the paying client's state (a previous version's
  // compute.db is merged into it once).
  const memory = openAgentMemory(join(config.dataDir, 'agent.db'));
  // A failed start unwinds what already started (in reverse), so nothing keeps the process alive.
  const unwind: (() => unknown)[] = [() => memory.close()];
  try {
    const merged = mergeComputeDatabase({ db: memory.db, path: join(config.dataDir, 'compute.db') });
    if (merged.merged) log.info('merged compute.db into agent.db', { channels: merged.channels, receipts: merged.receipts, untrusted: merged.untrusted, movedTo: merged.movedTo });
    if (merged.skippedChannels.length) log.warn('compute.db channels unknown to memory were not merged', { channels: merged.skippedChannels });
  } catch (error) {
    memory.close();
    throw error;
  }
  const payingStore = createAgentPayingStore({ memory });
  const orUnwind = <T>(step: Promise<T>): Promise<T> =>
    step.catch(async (error: unknown) => {
      for (const undo of unwind.reverse()) {
        try {
          await undo();
        } catch {
          // Best effort: the start already failed with the error rethrown below.
        }
      }
      throw error;
    });
  // Every paid call (failed ones too) is one row of memory's calls journal, attributed to the reply
  // (member) or job it served: it feeds provider health (treasury), the daily cap and the dashboard.
  const meter = createCostMeter({ store: payingStore });
  const extraTrusted = [...(options.trustedProviders ?? []), ...(options.devnet || config.network === 'local' ? [devAccount(devRoles.provider).account.address] : [])];
  // The charter (self-owned agents) or config (owner mode) sets the constitution, caps and runway
  // target; read at start and on every update event, never on the hot path.
  let onCharterUpdate = () => {};
  const charter = await orUnwind(createCharterView({
    onUpdate: () => onCharterUpdate(),
    publicClient,
    charter: deployment.governance?.charter,
    seed: {
      constitution: config.agent.constitution,
      perCallCap: config.agent.caps.perRequestCap,
      dailyCap: config.agent.caps.dailyComputeBudget,
      runwayTargetHours: config.agent.runwayTargetHours,
      trustedProviders: config.agent.trustedProviders,
      proposalsPerPeriod: config.governance.proposalsPerWeek,
      proposalPeriod: 7 * 86_400,
    },
    log,
  }));
  unwind.push(() => charter.stop());
  // The guard enforces the charter's trusted providers and daily cap (config alone in owner mode).
  const guard = createGuardedExecutor({ wallet, publicClient, deployment, memory, policy: guardPolicyFromCharter({ base: guardPolicyFromConfig({ config, extraTrustedProviders: extraTrusted }), charter }) });
  const token = config.chain.token;
  // ERC-8004 feedback counts only from these clients (Sybil resistance): the agent itself and the configured ones.
  const reputationClients = [deployment.agent.tba, ...config.agent.reputationClients];
  const toolkit = createY2cToolkit({ wallet, publicClient, deployment, memory, guard, token, reputationClients });
  const reconciled = await orUnwind(reconcileLedger({ publicClient, deployment, memory }));
  for (const entry of reconciled) log.warn('ledger reconciled after restart', { id: entry.id, kind: entry.kind, outcome: entry.outcome, note: entry.note });

  const treasuryContext: TreasuryContext = {
    wallet,
    publicClient,
    deployment,
    memory,
    guard,
    payingStore,
    params: treasuryParamsFromConfig({ config }),
    get runwayTargetHours() {
      return charter.current().runwayTargetHours;
    },
    minHarvest: config.agent.treasury.minHarvest,
    ethPriceInToken: config.chain.ethPriceInToken,
    reputationClients,
  };
  // The chat's hot path reads caches that events keep fresh: the treasury summary, the providers,
  // the members' pass and quota (the charter view above is one too).
  const treasurySummary = await orUnwind(createTreasurySummaryView({ publicClient, deployment, memory, wallet, token, log }));
  unwind.push(() => treasurySummary.stop());
  const directory = createProviderDirectory({ publicClient, deployment, memory, policy: guard.policy, model: config.agent.model, log });
  unwind.push(() => directory.stop());
  const memberReads = createMemberReads({ client: publicClient, vault: deployment.agent.vault, pass: config.agent.pass, log });
  unwind.push(() => memberReads.stop());
  // One member toolkit per member (built once; the brain keeps one compiled agent per tool set).
  const memberToolkits = new Map<Address, readonly StructuredToolInterface[]>();
  const memberTools = (member: Address) => {
    let tools = memberToolkits.get(member);
    if (!tools) {
      if (memberToolkits.size >= 1_000) memberToolkits.clear();
      tools = createMemberToolkit({ wallet, publicClient, deployment, memory, guard, token, member }).tools;
      memberToolkits.set(member, tools);
    }
    return tools;
  };
  const payingFetch = createPayingFetch({
    account: sessionKey,
    channel: createChannelPicker({ memory, store: payingStore }),
    caps: {
      get perRequest() {
        return charter.current().perCallCap;
      },
      get daily() {
        return charter.current().dailyCap;
      },
    },
    store: meter.store,
    market: deployment.computeMarket,
    chainId: config.chain.id,
  });
  const backoff = options.jobBackoff ? { backoff: options.jobBackoff } : {};
  const treasuryJob = createSingleFlightJob({
    name: 'treasury',
    memory,
    log,
    ...backoff,
    run: async () => {
      const { outcomes, rounds } = await runTreasury({ ...treasuryContext, log: (message, fields) => log.info(message, fields) });
      void treasurySummary.refresh();
      return { rounds, outcomes: outcomes.map((outcome) => `${outcome.decision.action}:${outcome.status}`) };
    },
  });
  const brain = createBrain({
    providers: directory.list,
    tools: toolkit.tools,
    get constitution() {
      return charter.current().constitution;
    },
    treasurySummary: treasurySummary.current,
    fetch: payingFetch,
    onOutOfCompute: () => void treasuryJob.tick(),
    log,
  });
  const settleJob = createSingleFlightJob({
    name: 'settle',
    memory,
    log,
    ...backoff,
    run: async () => {
      const result = await runSettleCheck({ publicClient, deployment, memory, payingStore });
      for (const anomaly of result.anomalies) log.error('settle anomaly', { ...anomaly });
      // After the audit, the agent's ERC-8004 feedback on each provider (a failure here never fails the audit).
      const ratings = await rateProviders({
        publicClient,
        deployment,
        memory,
        guard,
        mismatched: [...result.anomalies.map((anomaly) => anomaly.provider), ...result.untrusted],
        maxP50LatencyMs: treasuryContext.params.maxP50LatencyMs,
      }).catch((error: unknown) => {
        log.warn('provider feedback not posted', { error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
        return [];
      });
      return { channels: result.channels, anomalies: result.anomalies.length, untrusted: result.untrusted, rated: ratings.filter((rating) => rating.outcome === 'posted').length };
    },
  });
  const reflectJob = createSingleFlightJob({
    name: 'reflect',
    memory,
    log,
    ...backoff,
    run: async (signal) => {
      const { result: answer } = await meter.measure(() => runReflect({ brain, memory, signal }));
      return { failure: answer.failure ?? null, toolCalls: answer.toolCalls };
    },
  });
  // Issue 13: the ETH vault's yield, converted to the payment token for the TBA (both calls are
  // permissionless and choose nothing; the session key pays their gas, as it does for direct sends).
  const conversionJob = createSingleFlightJob({
    name: 'conversion',
    memory,
    log,
    ...backoff,
    run: async () => {
      const walletClient = createWalletClient({ account: sessionKey, chain, transport: http(connection.rpcUrl) });
      const result = await runConversion({ publicClient, walletClient, deployment, memory });
      if (result.status === 'waiting') log.info('conversion waits', { reason: result.reason, pendingWei: result.pendingWei.toString() });
      if (result.status === 'converted') log.info('converted', { wethIn: result.amountIn.toString(), out: result.amountOut.toString(), price: result.price.toString() });
      return { status: result.status };
    },
  });
  const scheduler = createScheduler({
    jobs: [
      ...(deployment.eth ? [{ job: conversionJob, cron: config.agent.schedules.treasury }] : []),
      { job: treasuryJob, cron: config.agent.schedules.treasury },
      { job: settleJob, cron: config.agent.schedules.settle },
      { job: reflectJob, cron: config.agent.schedules.reflect },
    ],
    log,
  });

  const chatPort = options.chatPort ?? config.agent.chat.port;
  const telegram = telegramFromConfig({ config, memory, log });
  const chat = await orUnwind(createChatServer({
    ...chatServerParametersFromConfig({
      config,
      client: publicClient,
      deployment,
      memory,
      responder: createBrainResponder({
        brain,
        meter,
        // Members talk to the agent with reads and their own notes only: their words cannot move the treasury.
        memberTools,
      }),
      webRoot: webDist,
      ...(config.chain.devnet ? { devnetRpcUrl: connection.rpcUrl } : {}),
    }),
    reads: memberReads,
    // The member API (/v1) and MCP (/mcp) share the chat's spending gate, pass and quota.
    mounts: [...memberMounts({ config, publicClient, deployment, memory, providers: directory.list, fetch: payingFetch, meter }), ...(telegram ? [telegram.mount] : [])],
    registrationFile: () => registration,
    port: chatPort,
    log,
  }));
  unwind.push(() => chat.close());
  if (telegram) {
    await orUnwind(telegram.start(chat.chat));
    unwind.push(() => telegram.stop());
  }

  // ERC-8004: the registration file lists the live endpoints (chat, MCP at /mcp, the TBA as wallet)
  // and the charter in force; it is published on chain at start and again after each charter update.
  let registration: RegistrationFile | undefined;
  let lastPublish: Promise<PublishRegistrationReturnType | undefined> = Promise.resolve(undefined);
  const republish = (reason: string) => {
    const { erc8004, agent } = deployment;
    if (!erc8004 || agent.agentId === undefined) return;
    const current = charter.current();
    const charterAddress = deployment.governance?.charter;
    registration = buildRegistrationFile({
      chainId: config.chain.id,
      identityRegistry: erc8004.identityRegistry,
      agentId: BigInt(agent.agentId),
      tba: agent.tba,
      chatUrl: chat.url,
      ...(charterAddress && current.constitutionHash ? { charter: { address: charterAddress, version: current.version, constitutionHash: current.constitutionHash } } : {}),
    });
    const file = registration;
    lastPublish = lastPublish
      .catch(() => undefined)
      .then(() => publishRegistration({ publicClient, deployment, guard, file, reason }))
      .then(
        (result) => {
          log.info('erc-8004 registration', { agentId: agent.agentId, published: result.published, ...(result.published ? { tx: result.receipt.transactionHash } : { why: result.why }) });
          return result;
        },
        (error: unknown) => {
          log.warn('erc-8004 registration not published', { error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
          return undefined;
        },
      );
  };
  onCharterUpdate = () => republish(`charter v${charter.current().version}: the registration file names it`);
  republish('the agent started: its registration file lists its live endpoints');

  let state: 'running' | 'stopping' | 'stopped' = 'running';
  const startedAt = Date.now();
  const health = await orUnwind(startHealthServer({
    host: config.agent.chat.host,
    port: options.healthPort ?? (chatPort === 0 ? 0 : chatPort + 1),
    report: () => ({
      ok: state === 'running',
      state,
      network: config.network,
      tba: deployment.agent.tba,
      chat: chat.url,
      sessionKey: wallet.sessionKey,
      transport: wallet.transport,
      uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
      charter: { source: charter.current().source, version: charter.current().version, constitutionHash: charter.current().constitutionHash ?? null },
      pendingLedger: memory.ledger.listPending().length,
      jobs: Object.fromEntries(
        [treasuryJob, settleJob, reflectJob].map((job) => {
          const last = memory.jobRuns.lastRun(job.name);
          return [job.name, { running: job.running(), lastRunAt: last?.startedAt ?? null, lastOk: last?.ok ?? null, failures: job.failures(), backoffUntil: job.backoffUntil() ?? null }];
        }),
      ),
    }),
  }));
  scheduler.start();
  if (options.runTreasuryOnStart ?? true) void treasuryJob.tick();
  log.info('agent started', { tba: deployment.agent.tba, network: config.network, transport: wallet.transport, chat: chat.url, health: health.url, reconciled: reconciled.length });

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      state = 'stopping';
      log.info('agent stopping, waiting for running jobs', { running: [conversionJob, treasuryJob, settleJob, reflectJob].filter((job) => job.running()).map((job) => job.name) });
      await telegram?.stop();
      await chat.close();
      charter.stop();
      treasurySummary.stop();
      directory.stop();
      memberReads.stop();
      await scheduler.stop();
      await lastPublish.catch(() => undefined);
      await health.stop();
      memory.close();
      state = 'stopped';
      if (options.handleSignals) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      log.info('agent stopped', {});
      resolveStopped();
    })());
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      log.warn('second signal, exiting now', { signal });
      process.exit(130);
    }
    log.info('signal received, stopping gracefully (send it again to force)', { signal });
    void stop();
  };
  if (options.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return {
    tba: deployment.agent.tba,
    memory,
    payingStore,
    wallet,
    guard,
    toolkit,
    brain,
    scheduler,
    charter,
    healthUrl: health.url,
    chatUrl: chat.url,
    chat,
    identity: { file: () => registration, lastPublish: () => lastPublish },
    stop,
    stopped,
  };
}
