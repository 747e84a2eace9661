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
import { clearRuntime, reapStaleRuntime, writeRuntime } from '../runtime.js';

/** Parameters of {@link up}. */
export type UpParameters = {
  /** Start from an empty chain (the saved state and deployment are removed). */
  fresh: boolean;
  /** Who owns the agent (default: config `governance.owner`, itself "community"). */
  owner?: AgentOwnerMode;
};

/** A part of the world `up` started, stopped in reverse order. */
type Part = { name: string; stop: () => Promise<void> };

/**
 * The embedded default: starts the local world and keeps it running until SIGINT/SIGTERM (a second
 * signal forces exit). Prints each step with its time, then what runs where.
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
  const parts: Part[] = [];
  let stopping = false;
  const stopAll = async () => {
    for (const part of parts.reverse()) {
      try {
        await part.stop();
      } catch (error) {
        process.stderr.write(`stopping ${part.name} failed: ${String(error)}\n`);
      }
    }
    clearRuntime(config.dataDir);
  };
  const onSignal = () => {
    if (stopping) {
      process.stderr.write('second signal: exiting now\n');
      process.exit(130);
    }
    stopping = true;
    log('stopping (send the signal again to force)');
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A part that crashes (an error nothing caught in chat, provider or health) must not leave the
  // others running half-dead, nor orphan anvil and alto: report it and stop the world.
  const onCrash = (error: unknown) => {
    process.stderr.write(`y2c up: a part crashed, stopping everything: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (stopping) return;
    stopping = true;
    void stopAll().finally(() => process.exit(1));
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  // Started alongside the devnet's last steps; stopped here if the devnet fails after it started.
  let node: Awaited<ReturnType<typeof startProviderNode>> | undefined;
  // The provider's model loads while the chain starts (it needs no chain); the node closes it when
  // it stops, and up closes it when no node took it.
  log('loading the provider model');
  const loadingBackend = providerBackend(config);
  loadingBackend.catch(() => undefined);
  const closeUnusedBackend = async () => {
    if (!node) await loadingBackend.then((backend) => backend.close()).catch(() => undefined);
  };
  try {
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
      // No half-started world: without its provider the agent cannot think, so a failure here stops everything.
      alongside: async ({ rpcUrl, deployment }) => {
        log('starting the compute provider');
        node = await startProviderNode(config, { connection: { chain: foundry, rpcUrl, deployment }, backend: await loadingBackend });
        log(`provider ${node.address} registered at ${node.url}`);
      },
    }).catch(async (error: unknown) => {
      await node?.stop({ settle: false }).catch(() => undefined);
      await closeUnusedBackend();
      throw error;
    });
    parts.push({ name: 'devnet', stop: devnet.stop });
    if (!node) throw new Error('the provider did not start');
    const provider = node;
    parts.push({ name: 'provider', stop: () => provider.stop() });
    // A service that dies on its own (not stopped by us) is a crashed part: say which, stop the rest.
    for (const [name, service] of [['anvil', devnet.anvil], ['bundler (alto)', devnet.bundler]] as const) {
      void service?.exited.then((how) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`y2c up: ${name} ${how}; stopping everything\n`);
        void stopAll().finally(() => process.exit(1));
      });
    }
    const children = [devnet.anvil.process.pid, devnet.bundler?.process.pid].filter((pid): pid is number => pid !== undefined);
    // Recorded at once, so a kill during the next steps still lets the next `up` reap them.
    writeRuntime(config.dataDir, { pid: process.pid, children, rpcUrl: devnet.anvil.rpcUrl, bundlerUrl: devnet.bundler?.bundlerUrl, startedAt: new Date().toISOString() });
    const { deployment } = devnet;
    const providerUrl: string | undefined = provider.url;
    log('starting the agent');
    const agent = await startAgent(config, { devnet });
    parts.push({ name: 'agent', stop: agent.stop });
    log(`agent running (chat ${agent.chatUrl}, health ${agent.healthUrl})`);
    writeRuntime(config.dataDir, {
      pid: process.pid,
      children,
      rpcUrl: devnet.anvil.rpcUrl,
      bundlerUrl: devnet.bundler?.bundlerUrl,
      providerUrl,
      chatUrl: agent.chatUrl,
      healthUrl: agent.healthUrl,
      startedAt: new Date().toISOString(),
    });
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
  } catch (error) {
    // A failed start: its own stop is no crash of a part.
    stopping = true;
    await stopAll();
    throw error;
  }
}
