import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWalletClient, http, type Address, type PublicClient } from 'viem';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import type { AgentWallet } from '../../chain/wallet/createAgentWallet.js';
import { createLifecycle, type Lifecycle } from '../../core/createLifecycle.js';
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
import { x402BatchSettlementAddress } from '../../chain/deploy/deployX402.js';
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
import { runBondClaims } from '../jobs/runBondClaims.js';
import { runSettleCheck } from '../jobs/runSettleCheck.js';
import { rateProviders } from '../reputation/rateProviders.js';
import { runConversion } from '../jobs/runConversion.js';
import { treasuryParamsFromConfig } from '../policy/treasuryParamsFromConfig.js';
import { createScheduler, type Scheduler } from '../scheduler/createScheduler.js';
import { createSingleFlightJob } from '../scheduler/createSingleFlightJob.js';
import type { Logger } from '../../core/Logger.js';
import { runTreasury } from '../treasury/runTreasury.js';
import type { TreasuryContext } from '../treasury/TreasuryContext.js';
import { buildRegistrationFile, type RegistrationFile } from '../identity/buildRegistrationFile.js';
import { publishRegistration, type PublishRegistrationReturnType } from '../identity/publishRegistration.js';
import { createPinoLogger } from './createPinoLogger.js';
import { createAgentChain, type CreateAgentChainReturnType } from './createAgentChain.js';
import { createTreasurySummary } from './createTreasurySummary.js';
import { createCharterView, type CharterView } from './createCharterView.js';
import { createTreasurySummaryView } from './createTreasurySummaryView.js';
import { guardPolicyFromCharter } from './guardPolicyFromCharter.js';
import { startHealthServer } from './startHealthServer.js';
import { memberMounts } from './memberMounts.js';
import { telegramFromConfig } from './telegramFromConfig.js';
import { firstLine } from '../../core/firstLine.js';

/** How to reach a chain the agent did not start. */
export type AgentConnection = {
  rpcUrl: string;
  /** Needed with transport "userop". */
  bundlerUrl?: string | undefined;
  deployment: AgentDeployment;
  /** Session key file (default `dataDir/keys/session.key`). */
  sessionKeyPath?: string | undefined;
  /** A client already made for `rpcUrl` (e.g. the devnet's); one is made when omitted. */
  publicClient?: PublicClient | undefined;
};

/** Options of {@link startAgent}: where the chain is, and daemon options. */
export type StartAgentOptions = {
  /** The chain and deployment (`y2c up` passes its devnet's, `y2c start` the configured one). */
  connection: AgentConnection;
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
 * Its parts (memory, paying store, charter view, chat, Telegram, registration, health, scheduler)
 * are one lifecycle: a failed start stops what started, `stop` stops them in reverse. It installs
 * no signal handler and never exits the process (the command line does: cli/runUntilSignal.ts).
 *
 * @param options The connection and daemon options.
 * @returns The running agent.
 * @throws {AgentStartError} When the chain or deployment is missing.
 * @example
 * const agent = await startAgent(config, { connection: { rpcUrl, deployment } });
 * // ... on SIGTERM (cli/runUntilSignal.ts): await agent.stop();
 */
export async function startAgent(config: Config, options: StartAgentOptions): Promise<StartAgentReturnType> {
  const log = options.log ?? createPinoLogger({ level: config.logLevel });
  const { connection } = options;
  const deployment = connection.deployment.erc8004 || !config.chain.erc8004 ? connection.deployment : { ...connection.deployment, erc8004: config.chain.erc8004 };
  if (!deployment.agent) throw new AgentStartError('The deployment has no bootstrapped agent.', { details: 'Run `y2c up` (local) or bootstrap the agent, then start again.' });
  if (config.chain.transport === 'userop' && !connection.bundlerUrl) {
    throw new AgentStartError('Transport "userop" needs a bundler URL.', { details: 'Set chain.bundlerUrl in y2c.config.json, or chain.transport to "direct".' });
  }
  const clients = createAgentChain({ config, connection, tba: deployment.agent.tba });
  // A failed start unwinds what already started (in reverse), so nothing keeps the process alive.
  const life = createLifecycle({ onStopError: (part, error) => log.warn('stopping a part failed', { part, error: error instanceof Error ? error.message : String(error) }) });
  return life.run(() => composeAgent(config, options, { life, log, deployment, clients }));
}

/** The parts of {@link startAgent}, each added to `life` as it starts. */
async function composeAgent(
  config: Config,
  options: StartAgentOptions,
  context: { life: Lifecycle; log: Logger; deployment: AgentDeployment; clients: CreateAgentChainReturnType },
): Promise<StartAgentReturnType> {
  const { life, log, deployment } = context;
  const { connection } = options;
  const { chain, publicClient, sessionKey, wallet } = context.clients;
  const memory = await life.start('memory', () => openAgentMemory(join(config.dataDir, 'agent.db')), (opened) => opened.close());
  // One store: the agent's memory also holds the paying client's state (a previous version's
  // compute.db is merged into it once).
  const merged = mergeComputeDatabase({ db: memory.db, path: join(config.dataDir, 'compute.db') });
  if (merged.merged) log.info('merged compute.db into agent.db', { channels: merged.channels, receipts: merged.receipts, untrusted: merged.untrusted, movedTo: merged.movedTo });
  if (merged.skippedChannels.length) log.warn('compute.db channels unknown to memory were not merged', { channels: merged.skippedChannels });
  const payingStore = createAgentPayingStore({ memory });
  // Every paid call (failed ones too) is one row of memory's calls journal, attributed to the reply
  // (member) or job it served: it feeds provider health (treasury), the daily cap and the dashboard.
  const meter = createCostMeter({ store: payingStore });
  const extraTrusted = [...(options.trustedProviders ?? []), ...(config.network === 'local' ? [devAccount(devRoles.provider).account.address] : [])];
  // The charter (self-owned agents) or config (owner mode) sets the constitution, caps and runway
  // target; read at start and on every update event, never on the hot path.
  let onCharterUpdate = () => {};
  const charter = await life.start('charter view', () => createCharterView({
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
  }), (view) => view.stop());
  // The guard enforces the charter's trusted providers and daily cap (config alone in owner mode).
  const guard = createGuardedExecutor({ wallet, publicClient, deployment, memory, policy: guardPolicyFromCharter({ base: guardPolicyFromConfig({ config, extraTrustedProviders: extraTrusted }), charter }) });
  const token = config.chain.token;
  // ERC-8004 feedback counts only from these clients (Sybil resistance): the agent itself and the configured ones.
  const reputationClients = [deployment.agent.tba, ...config.agent.reputationClients];
  // x402 buying needs the escrow at its canonical address and at least one allowlisted service.
  const escrowCode = config.agent.x402.services.length ? await (publicClient.getCode({ address: x402BatchSettlementAddress })) : undefined;
  const x402Buying = escrowCode !== undefined && escrowCode !== '0x';
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
    // x402 (issue 14): the allowlisted services' origins are paid over batch-settlement, the TBA
    // depositing through the guard, the session key signing vouchers, to the sellers the guard trusts.
    ...(x402Buying
      ? {
          x402: {
            origins: config.agent.x402.services.map((service) => service.url),
            services: config.agent.x402.services,
            trustedSellers: () => guard.policy.trustedX402Sellers ?? [],
            payer: deployment.agent.tba,
            sessionKey,
            token: deployment.usdx,
            chainId: config.chain.id,
            publicClient,
            deposit: async ({ channel, amount }) => void (await guard.execute({ action: 'x402_deposit', channel, amount }, { reason: 'x402 purchase', origin: 'llm' })),
          },
        }
      : {}),
  });
  const toolkit = createY2cToolkit({
    wallet,
    publicClient,
    deployment,
    memory,
    guard,
    token,
    reputationClients,
    ...(x402Buying ? { x402: { fetch: payingFetch, services: config.agent.x402.services } } : {}),
  });
  const reconciled = await (reconcileLedger({ publicClient, deployment, memory }));
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
  const treasurySummary = await life.start('treasury summary', () => createTreasurySummaryView({ publicClient, deployment, memory, wallet, token, log }), (view) => view.stop());
  const directory = await life.start('provider directory', () => createProviderDirectory({ publicClient, deployment, memory, policy: guard.policy, model: config.agent.model, log }), (view) => view.stop());
  const memberReads = await life.start('member reads', () => createMemberReads({ client: publicClient, vault: deployment.agent.vault, pass: config.agent.pass, log }), (view) => view.stop());
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
      // A provider that redeemed above what it signed: accuse it with the agent's receipts, and slash once the window ends.
      const claims = await runBondClaims({ publicClient, deployment, payingStore, guard }).catch((error: unknown) => {
        log.warn('bond claim not sent', { error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
        return [];
      });
      for (const claim of claims) log.warn('bond claim', { ...claim });
      // After the audit, the agent's ERC-8004 feedback on each provider (a failure here never fails the audit).
      const ratings = await rateProviders({
        publicClient,
        deployment,
        memory,
        guard,
        mismatched: [...result.anomalies.map((anomaly) => anomaly.provider), ...result.untrusted],
        maxP50LatencyMs: treasuryContext.params.maxP50LatencyMs,
      }).catch((error: unknown) => {
        log.warn('provider feedback not posted', { error: firstLine(error) });
        return [];
      });
      return { channels: result.channels, anomalies: result.anomalies.length, untrusted: result.untrusted, claims: claims.length, rated: ratings.filter((rating) => rating.outcome === 'posted').length };
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
  const chat = await life.start('chat', () => createChatServer({
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
  }), (server) => server.close());
  if (telegram) await life.start('telegram', () => telegram.start(chat.chat), () => telegram.stop());

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
          log.warn('erc-8004 registration not published', { error: firstLine(error) });
          return undefined;
        },
      );
  };
  onCharterUpdate = () => republish(`charter v${charter.current().version}: the registration file names it`);
  republish('the agent started: its registration file lists its live endpoints');
  life.add('registration', () => lastPublish.catch(() => undefined));

  let state: 'running' | 'stopping' | 'stopped' = 'running';
  const startedAt = Date.now();
  const health = await life.start('health', () => startHealthServer({
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
  }), (server) => server.stop());
  // The scheduler stops first: a stop waits for the running tick while chat and chain are still there.
  await life.start('scheduler', () => scheduler.start(), () => scheduler.stop());
  if (options.runTreasuryOnStart ?? true) void treasuryJob.tick();
  log.info('agent started', { tba: deployment.agent.tba, network: config.network, transport: wallet.transport, chat: chat.url, health: health.url, reconciled: reconciled.length });

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      state = 'stopping';
      log.info('agent stopping, waiting for running jobs', { running: [conversionJob, treasuryJob, settleJob, reflectJob].filter((job) => job.running()).map((job) => job.name) });
      await life.stop();
      state = 'stopped';
      log.info('agent stopped', {});
      resolveStopped();
    })());
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
