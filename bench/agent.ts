/**
 * Agent benchmark: what the daemon adds around the model.
 * - `turnOverheadP50Ms` / `turnOverheadP99Ms`: a chat turn end to end through the chat API (SSE,
 *   signed-in member: rate, pass and quota checks on chain, SQLite) and the brain (LangChain agent,
 *   system prompt with a live treasury read, paying fetch signing a voucher, the real provider node)
 *   minus the model's own time, measured at the scripted model (a timing proxy right in front of it).
 *   Real anvil, provider node and daemon (`startAgent`); 127.0.0.1 only; sequential turns.
 * - `coldStartSeconds`: `npx tsx cli/main.ts up` as a child process on a fresh temp data dir until
 *   it prints "y2c is up" (anvil, deployment, bundler, provider, agent, chat page).
 * - `idleRssMb` / `idleRssTreeMb`: resident memory of that `up` (its node process running
 *   cli/main.ts; and the whole process tree: npx, tsx, anvil, alto…) after it has idled a few seconds.
 * Writes bench/results/agent.json. Run: `npx tsx bench/agent.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWalletClient, http, parseUnits } from 'viem';
import { foundry } from 'viem/chains';
import { startAgent } from '../agent/daemon/startAgent.js';
import { silentLogger } from '../core/Logger.js';
import { devAccount, devRoles } from '../devnet/devAccounts.js';
import { stake } from '../chain/vault/stake.js';
import { createOpenAiBackend } from '../provider/backends/createOpenAiBackend.js';
import { startProvider } from '../provider/startProvider.js';
import { chatSse, signIn } from '../test/chat/chatClient.js';
import { startScriptedModel } from '../test/fixtures/scriptedModel.js';
import { startAgentWorld } from '../test/fixtures/startAgentWorld.js';
import { configFor } from '../test/fixtures/treasuryContextFor.js';

type Metric = { value: number; unit: string; better: 'lower' | 'higher'; note: string };
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const metrics: Record<string, Metric> = {};
const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An HTTP proxy in front of the model that times each request from arrival to the response's last byte. */
async function startTimingProxy(target: string): Promise<{ url: string; durations: number[]; server: Server }> {
  const upstream = new URL(target);
  const durations: number[] = [];
  const server = createServer((req, res) => {
    const started = performance.now();
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
      response.on('end', () => durations.push(performance.now() - started));
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, durations, server };
}

// ------------------------------------------------------------------------------ chat turn overhead
{
  const world = await startAgentWorld();
  // Everything this section starts is stopped in reverse order, whatever fails (a failed turn used to
  // leave anvil, the provider and the daemon running, and the bench alive).
  const stops: (() => Promise<unknown>)[] = [() => world.stop()];
  try {
    // Members: the three demo stakers plus three more, the rest of anvil's funded accounts (each member
    // may send 5 at once, then one per 2 s; the rotation and pause below stay within that).
    const members = Array.from({ length: 6 }, (_, i) => devAccount(devRoles.firstStaker + i).account);
    for (const member of members.slice(3)) {
      const walletClient = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: member, pollingInterval: 100 });
      await stake({ publicClient: world.publicClient, walletClient }, { vault: world.deployment.agent.vault, asset: world.deployment.usdx, amount: parseUnits('100', 6), useFaucet: true });
    }
    const model = await startScriptedModel({
      replies: () => ({ content: 'The yield of what my community stakes pays for every word of this short and honest answer.', chunkDelayMs: 1 }),
    });
    stops.push(() => model.stop());
    const timing = await startTimingProxy(model.url);
    stops.push(() => new Promise((resolve) => {
      timing.server.close(resolve);
      timing.server.closeAllConnections();
    }));
    const providerWallet = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: devAccount(devRoles.provider).account, pollingInterval: 100 });
    const node = await startProvider({
      client: providerWallet,
      market: world.deployment.computeMarket,
      backend: createOpenAiBackend({ baseUrl: timing.url, models: { scripted: 'scripted' } }),
      priceInPerMTok: 100_000n,
      priceOutPerMTok: 200_000n,
      databasePath: join(world.dir, 'provider.db'),
      settleIntervalMs: 3_600_000,
    });
    stops.push(() => node.stop({ settle: false }));
    await world.setProviderEndpoint(node.url);
    await world.warp(30 * 86_400);
    const config = configFor(world);
    const agent = await startAgent(
      { ...config, agent: { ...config.agent, schedules: { treasury: '0 0 1 1 *', settle: '0 0 1 1 *', reflect: '0 0 1 1 *' } } },
      { connection: { rpcUrl: world.devnet.anvil.rpcUrl, deployment: world.deployment, sessionKeyPath: world.devnet.sessionKeyPath }, chatPort: 0, healthPort: 0, log: silentLogger },
    );
    stops.push(() => agent.stop());
    await agent.scheduler.jobs.treasury?.idle();
    const tokens: string[] = [];
    for (const member of members) tokens.push(await signIn(agent.chatUrl, member));

    const warmup = 5;
    const measured = 40;
    const turns: number[] = [];
    const modelTimes: number[] = [];
    const overheads: number[] = [];
    for (let i = 0; i < warmup + measured; i++) {
      const before = timing.durations.length;
      const started = performance.now();
      const reply = await chatSse(agent.chatUrl, tokens[i % tokens.length], { content: `Question ${i}: who pays for your thinking?` });
      const turn = performance.now() - started;
      if (reply.status !== 200 || !reply.events.some((event) => event.event === 'done')) throw new Error(`turn ${i} failed: ${reply.status} ${JSON.stringify(reply.error ?? reply.events.at(-1))}`);
      const modelTime = timing.durations.slice(before).reduce((sum, ms) => sum + ms, 0);
      if (i >= warmup) {
        turns.push(turn);
        modelTimes.push(modelTime);
        overheads.push(turn - modelTime);
      }
      await sleep(250); // keep under the chat's rate limits (per member and per network address); not timed
    }
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const o = sorted(overheads);
    const t = sorted(turns);
    const mt = sorted(modelTimes);
    const context = `${measured} sequential turns after ${warmup} warm-up, 6 signed-in members in rotation, SSE POST /api/chat until "done"; one model call per turn (no tools), ~17 words streamed; turn p50 ${round(percentile(t, 50), 1)} ms, model p50 ${round(percentile(mt, 50), 1)} ms (timed at a proxy in front of the scripted model)`;
    metrics.turnOverheadP50Ms = { value: round(percentile(o, 50), 1), unit: 'ms', better: 'lower', note: `chat turn minus the model's own time: chat checks (rate; pass and quota from caches the vault's events keep fresh), SQLite, brain (providers and treasury summary from event-driven caches, one compiled LangChain agent per provider and tool set), paying fetch (voucher), provider node. ${context}` };
    metrics.turnOverheadP99Ms = { value: round(percentile(o, 99), 1), unit: 'ms', better: 'lower', note: `as turnOverheadP50Ms, 99th percentile of ${measured}` };

  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

// ------------------------------------------------------------------------- cold start and idle RSS
/** A port free right now on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every process in the tree under `pid` (itself included), from /proc. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while listing.
    }
  }
  const tree: number[] = [];
  const visit = (p: number) => {
    tree.push(p);
    for (const child of children.get(p) ?? []) visit(child);
  };
  visit(pid);
  return tree;
}

/** Pids of every live process in process group `pgid` (from /proc; zombies count as gone). */
function processGroup(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state, ppid, pgrp, …
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // The process ended while listing.
    }
  }
  return members;
}

/** Waits until process group `pgid` is empty or `ms` passed; true if it is empty. */
async function groupGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (processGroup(pgid).length > 0) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');

{
  const dataDir = mkdtempSync(join(tmpdir(), 'y2c-bench-up-'));
  const chatPort = await freePort();
  const env = {
    ...process.env,
    Y2C_DATA_DIR: dataDir,
    Y2C_ANVIL_PORT: String(await freePort()),
    Y2C_BUNDLER_PORT: String(await freePort()),
    Y2C_PROVIDER_PORT: String(await freePort()),
    Y2C_CHAT_PORT: String(chatPort),
    Y2C_LOG_LEVEL: 'warn',
  };
  const started = performance.now();
  const child = spawn('npx', ['tsx', 'cli/main.ts', 'up'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const deadline = Date.now() + 300_000;
    while (!output.includes('y2c is up')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`y2c up did not come up:\n${output}`);
      await sleep(20);
    }
    const coldStart = (performance.now() - started) / 1000;
    const provider = /provider\s+(\S+)/.exec(output.slice(output.indexOf('y2c is up')))?.[1] ?? '?';
    metrics.coldStartSeconds = {
      value: round(coldStart, 2),
      unit: 's',
      better: 'lower',
      note: `npx tsx cli/main.ts up on a fresh temp Y2C_DATA_DIR (first start: anvil, every contract deployed, agent bootstrapped, demo stakers, bundler, provider ${provider === 'off' ? 'off (no backend here)' : 'on'}, agent, chat page) until it printed "y2c is up"`,
    };
    await sleep(8_000);
    const tree = processTree(child.pid!);
    const main = tree.filter((pid) => {
      try {
        return cmdline(pid).includes('cli/main.ts');
      } catch {
        return false;
      }
    });
    // tsx runs the script in a child node process: the deepest one with cli/main.ts is the y2c process.
    const y2c = main.at(-1) ?? child.pid!;
    const perProcess = tree.map((pid) => {
      try {
        return { pid, kb: rssKb(pid), cmd: cmdline(pid) };
      } catch {
        return { pid, kb: 0, cmd: '' };
      }
    });
    const total = perProcess.reduce((sum, p) => sum + p.kb, 0);
    const label = (p: { pid: number; cmd: string }) =>
      p.pid === y2c ? 'y2c (cli/main.ts)' : /anvil/.test(p.cmd) ? 'anvil' : /alto/.test(p.cmd) ? 'alto bundler' : /npm|npx/.test(p.cmd) ? 'npx' : /tsx/.test(p.cmd) ? 'tsx launcher' : (p.cmd.split(' ')[0]?.split('/').at(-1) ?? '?');
    const parts = perProcess.filter((p) => p.kb > 0).map((p) => `${label(p)} ${round(p.kb / 1024, 0)}`).join('; ');
    metrics.idleRssMb = { value: round(rssKb(y2c) / 1024, 1), unit: 'MB', better: 'lower', note: `VmRSS of the node process running cli/main.ts up (devnet launcher, provider node, agent daemon, chat server in one process), 8 s after "y2c is up"` };
    metrics.idleRssTreeMb = { value: round(total / 1024, 1), unit: 'MB', better: 'lower', note: `sum of VmRSS over the whole process tree of \`npx tsx cli/main.ts up\` at the same moment (${perProcess.length} processes, MB: ${parts})` };
  } finally {
    // Stop the whole tree, not only npx: npx exits at once on SIGINT while the y2c process under it
    // (which holds this process's stdout/stderr pipes) is still stopping its parts. Waiting for npx
    // alone let the bench print its results and then stay alive as long as any process of the tree
    // did. The child was spawned detached, so its pid is the group of every process it started.
    const pgid = child.pid!;
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-pgid, name);
      } catch {
        // Already gone.
      }
    };
    signal('SIGINT');
    if (!(await groupGone(pgid, 30_000))) {
      process.stderr.write(`y2c up did not stop within 30 s of SIGINT; killing its process group\n`);
      signal('SIGKILL');
      await groupGone(pgid, 10_000);
    }
    await Promise.race([exited, sleep(1_000)]);
    child.stdout.destroy();
    child.stderr.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const cpu = cpus();
const result = {
  name: 'agent',
  machine: `${cpu[0]?.model ?? 'unknown cpu'} ×${cpu.length}, node ${process.version}, ${process.platform}/${process.arch}`,
  metrics,
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'agent.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
// Every part this bench started is stopped above, yet something still held the event loop after the
// results were printed (seen again in this round, after both sections stopped cleanly). Name what is
// left, so the next run shows it, and exit rather than hang the bench runner.
const left = process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap');
if (left.length) process.stderr.write(`bench/agent: still open after stopping everything: ${left.join(', ')}; exiting\n`);
process.exit(0);
