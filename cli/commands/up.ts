import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatUnits } from 'viem';
import { foundry } from 'viem/chains';
import { startDevnet } from '../../devnet/startDevnet.js';
import type { AgentOwnerMode } from '../../chain/deploy/deployWorld.js';
import { charterSeed } from '../charterSeed.js';
import { startAgent } from '../../agent/daemon/startAgent.js';
import { providerBackend, startProviderNode } from './provider.js';
import { AgentError } from '../../core/AgentError.js';
import type { Config } from '../../config/types.js';
import { clearRuntime, reapStaleRuntime, writeRuntime, type Runtime } from '../runtime.js';
import { createLifecycle, type Lifecycle } from '../../core/createLifecycle.js';
import type { Service } from '../../devnet/spawnService.js';
import { runUntilSignal } from '../runUntilSignal.js';

/** Parameters of {@link up}. */
export type UpParameters = {
  /** Start from an empty chain (the saved state and deployment are removed). */
  fresh: boolean;
  /** Who owns the agent (default: config `governance.owner`, itself "community"). */
  owner?: AgentOwnerMode;
};

/**
 * The embedded default: starts the local world and keeps it running until SIGINT/SIGTERM (a second
 * signal forces exit). Prints each step with its time, then what runs where. Its parts (the
 * runtime file, the provider model, anvil, the bundler, the provider, the agent) are one lifecycle:
 * they stop in reverse, and a failed start stops what had started.
 *
 * @param config Loaded config (network must be `local`).
 * @param parameters Options.
 */
export async function up(config: Config, parameters: UpParameters): Promise<void> {
  if (config.network !== 'local') {
    throw new AgentError('`y2c up` runs the local world only.', {
      details: 'On a real network run `y2c provider start` and `y2c start` against the configured RPC.',
    });
  }
  const started = Date.now();
  const log = (message: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}\n`);
  const reaped = await reapStaleRuntime(config.dataDir);
  if (reaped.length) log(`stopped ${reaped.length} service(s) left running by a previous y2c up that was killed`);
  if (parameters.fresh) {
    rmSync(join(config.dataDir, 'anvil-state.json'), { force: true });
    rmSync(join(config.dataDir, 'anvil-state.json.saved'), { force: true });
    rmSync(join(config.dataDir, 'deployment.json'), { force: true });
  }
  const life = createLifecycle({
    onStop: (name) => log(`stopping ${name}`),
    onStopError: (name, error) => process.stderr.write(`stopping ${name} failed: ${String(error)}\n`),
  });
  await runUntilSignal(life, { name: 'y2c up', say: log }, () => startWorld(config, parameters, life, log, started));
}

/** The steps of {@link up}, each part added to `life` as it starts. */
async function startWorld(config: Config, parameters: UpParameters, life: Lifecycle, log: (message: string) => void, started: number): Promise<void> {
  // The runtime file goes first (and is removed last): it names every child service from the moment
  // it runs, so a kill at any later step leaves them for the next `up` to reap, not for the OS.
  const runtime: Runtime = { pid: process.pid, children: [], rpcUrl: '', startedAt: new Date().toISOString() };
  life.add('runtime file', () => clearRuntime(config.dataDir));
  const onService = (name: string, service: Service & { rpcUrl?: string; bundlerUrl?: string }) => {
    runtime.children = [...(runtime.children ?? []), ...(service.process.pid === undefined ? [] : [service.process.pid])];
    if (service.rpcUrl) runtime.rpcUrl = service.rpcUrl;
    if (service.bundlerUrl) runtime.bundlerUrl = service.bundlerUrl;
    writeRuntime(config.dataDir, runtime);
    // A service that dies on its own (not stopped by us) is a crashed part: say which, stop the rest.
    void service.exited.then((how) => {
      if (life.state() !== 'running') return;
      process.stderr.write(`y2c up: ${name} ${how}; stopping everything\n`);
      void life.stop(new Error(`${name} ${how}`));
    });
  };
  // The provider's model loads while the chain starts (it needs no chain); the node closes it when
  // it stops, and this part closes it when no node took it.
  log('loading the provider model');
  const loadingBackend = providerBackend(config);
  loadingBackend.catch(() => undefined);
  let node: Awaited<ReturnType<typeof startProviderNode>> | undefined;
  life.add('provider model', async () => {
    if (!node) await loadingBackend.then((backend) => backend.close()).catch(() => undefined);
  });
  const devnet = await startDevnet({
    dataDir: config.dataDir,
    ...(config.devnet.anvilPort ? { anvilPort: config.devnet.anvilPort } : {}),
    ...(config.devnet.bundlerPort ? { bundlerPort: config.devnet.bundlerPort } : {}),
    aprBps: config.devnet.aprBps,
    lockPeriodSeconds: BigInt(config.devnet.lockPeriodSeconds),
    dailyTokenBudget: formatUnits(config.agent.caps.dailyComputeBudget, config.chain.token.decimals),
    demoStakes: ['1000', '2500', '5000', '7500', '10000', '500', '250', '100'].slice(0, config.devnet.demoStakers),
    // Two days of the demo stakes' yield: the first treasury run buys compute, so the agent answers at once.
    demoHistorySeconds: 2 * 86_400,
    onStep: log,
    owner: parameters.owner ?? config.governance.owner,
    charter: charterSeed(config),
    x402Sellers: config.agent.x402.sellers,
    chatEndpoint: `http://${config.agent.chat.host}:${config.agent.chat.port}`,
    ...(config.governance.guardian ? { guardianKeeper: config.governance.guardian } : {}),
    lifecycle: life,
    onService,
    // No half-started world: without its provider the agent cannot think, so a failure here stops everything.
    alongside: async ({ rpcUrl, deployment }) => {
      log('starting the compute provider');
      node = await life.start(
        'provider',
        async () => startProviderNode(config, { connection: { chain: foundry, rpcUrl, deployment }, backend: await loadingBackend }),
        (started) => started.stop(),
      );
      log(`provider ${node.address} registered at ${node.url}`);
    },
  });
  if (!node) throw new Error('the provider did not start');
  const provider = node;
  const { deployment } = devnet;
  const providerUrl: string | undefined = provider.url;
  log('starting the agent');
  const agent = await life.start(
    'agent',
    () =>
      startAgent(config, {
        connection: { rpcUrl: devnet.anvil.rpcUrl, bundlerUrl: devnet.bundler?.bundlerUrl, deployment, sessionKeyPath: devnet.sessionKeyPath, publicClient: devnet.publicClient },
        trustedProviders: [provider.address],
      }),
    (started) => started.stop(),
  );
  log(`agent running (chat ${agent.chatUrl}, health ${agent.healthUrl})`);
  writeRuntime(config.dataDir, { ...runtime, providerUrl, chatUrl: agent.chatUrl, healthUrl: agent.healthUrl });
  log(devnet.deployed.length ? `deployed ${devnet.deployed.join(', ')}` : 'contracts already deployed: nothing redeployed');
  process.stdout.write(
    [
      '',
      `y2c is up (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  chat + page     ${agent.chatUrl}`,
      `  member API      ${agent.chatUrl}/v1 (OpenAI-compatible)   MCP ${agent.chatUrl}/mcp (or \`npx y2c mcp\`)`,
      `  chain (anvil)   ${devnet.anvil.rpcUrl}  chain id ${deployment.chainId}`,
      `  bundler (alto)  ${devnet.bundler?.bundlerUrl ?? 'off'}`,
      `  provider        ${providerUrl ?? 'off'}`,
      `  health          ${agent.healthUrl}`,
      `  agent #${deployment.agent.tokenId} TBA ${deployment.agent.tba}`,
      `  vault           ${deployment.agent.vault}`,
      ...(deployment.eth
        ? [`  ETH vault       ${deployment.eth.vault} (stake ETH: \`npx y2c stake 0.1 --asset eth\`; yield -> USDx through Uniswap v3 pool ${deployment.eth.pool}, feed ${deployment.eth.priceFeed})`]
        : []),
      `  market          ${deployment.computeMarket}`,
      `  session key     ${deployment.agent.sessionKey}`,
      deployment.governance
        ? `  owner           the community: timelock ${deployment.governance.timelock}, governor ${deployment.governance.governor}, charter ${deployment.governance.charter}`
        : '  owner           dev account 0 (--owner eoa)',
      '',
      `Open ${agent.chatUrl} in a browser, or in another terminal: \`npx y2c chat\`, \`npx y2c status\`, \`npx y2c stake 100\`, \`npx y2c warp 30\`, \`npx y2c ledger\`. Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );
}
