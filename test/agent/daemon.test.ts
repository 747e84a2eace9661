import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type StartAgentReturnType } from '../../agent/daemon/startAgent.js';
import { silentLogger } from '../../core/Logger.js';
import { encodeFunctionData } from 'viem';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';
import { startProviderNode, type ProviderNode } from '../fixtures/startProviderNode.js';
import { configFor } from '../fixtures/treasuryContextFor.js';
import { start as startCommand } from '../../cli/commands/start.js';
import { loadConfig } from '../../config/loadConfig.js';

let world: AgentWorld;

/** A port free right now on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
let provider: ProviderNode;

beforeAll(async () => {
  world = await startAgentWorld();
  provider = await startProviderNode(world);
  await world.warp(30 * 86_400);
});
afterAll(async () => {
  await provider.stop();
  await world.stop();
});

const start = (runTreasuryOnStart: boolean): Promise<StartAgentReturnType> =>
  startAgent(configFor(world), {
    connection: { rpcUrl: world.devnet.anvil.rpcUrl, deployment: world.deployment, sessionKeyPath: world.devnet.sessionKeyPath },
    chatPort: 0,
    healthPort: 0,
    runTreasuryOnStart,
    log: silentLogger,
  });

describe('daemon', () => {
  it('starts, survives on its own (harvest + channel without the LLM), thinks, reports health, stops after the running job', async () => {
    const agent = await start(true);
    const health = await (await fetch(agent.healthUrl)).json();
    expect(health.ok).toBe(true);
    expect(health.tba).toBe(world.deployment.agent.tba);
    expect(health.chat).toBe(agent.chatUrl);
    const chatConfig = await (await fetch(`${agent.chatUrl}/api/config`)).json();
    expect(chatConfig.agent).toBe(world.deployment.agent.tba);
    await agent.scheduler.jobs.treasury?.idle();
    expect(agent.memory.jobRuns.lastRun('treasury')?.ok).toBe(true);
    expect(agent.memory.channels.listOpen()).toHaveLength(1);
    expect(provider.model.requests).toHaveLength(0);

    provider.model.push({ toolCalls: [{ name: 'treasury_status', arguments: '{}' }] }, { content: 'My treasury is healthy.' });
    const answer = await agent.brain.ask([{ role: 'user', content: 'how is your treasury?' }]);
    expect(answer.text).toBe('My treasury is healthy.');
    expect(answer.toolCalls).toEqual(['treasury_status']);

    provider.model.push({ delayMs: 400, content: 'reflected: nothing to do.' });
    const reflecting = agent.scheduler.jobs.reflect?.tick();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(agent.scheduler.jobs.reflect?.running()).toBe(true);
    await agent.stop();
    expect(await reflecting).toBe('ran');
    expect(agent.scheduler.busy()).toBe(false);
    await expect(fetch(agent.healthUrl)).rejects.toThrow();
  });

  it('crash: an intent journaled and its transaction sent before the crash is reconciled on restart, not repeated', async () => {
    await world.warp(86_400);
    const memory = world.openMemory();
    const fromBlock = await world.publicClient.getBlockNumber();
    const id = memory.ledger.recordIntent({ kind: 'harvest', reason: 'before the crash', params: { fromBlock } });
    const sent = await world.wallet.sendCalls([{ to: world.deployment.agent.vault, data: encodeFunctionData({ abi: yieldVaultAbi, functionName: 'harvest' }) }], 'harvest');
    memory.ledger.markSent(id, sent.transactionHash);
    memory.close(); // the crash: markConfirmed never ran
    const nonce = await world.publicClient.getTransactionCount({ address: world.wallet.sessionKey });
    const agent = await start(false);
    expect(agent.memory.ledger.get(id)?.status).toBe('reconciled');
    expect(agent.memory.ledger.listPending()).toEqual([]);
    expect(await world.publicClient.getTransactionCount({ address: world.wallet.sessionKey })).toBe(nonce);
    await agent.stop();
  });

  it('y2c start runs the daemon until SIGTERM, then stops gracefully', async () => {
    const config = loadConfig({
      cwd: world.dir,
      env: {},
      overrides: {
        dataDir: world.dir,
        logLevel: 'silent',
        chain: { transport: 'direct', rpcUrl: world.devnet.anvil.rpcUrl },
        agent: { trustedProviders: [world.provider], chat: { port: await freePort() } },
      } as never,
    });
    const write = process.stdout.write.bind(process.stdout);
    let printed = '';
    process.stdout.write = ((chunk: string) => ((printed += chunk), true)) as typeof process.stdout.write;
    try {
      const running = startCommand(config, { healthPort: 0, noTreasuryOnStart: true, exitOnStop: false });
      for (let i = 0; i < 100 && !printed.includes('health at'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const url = /health at (\S+)/.exec(printed)?.[1] as string;
      expect((await (await fetch(url)).json()).ok).toBe(true);
      const chatUrl = /chat at (\S+);/.exec(printed)?.[1] as string;
      expect((await fetch(`${chatUrl}/api/config`)).status).toBe(200);
      process.kill(process.pid, 'SIGTERM');
      await running;
      await expect(fetch(url)).rejects.toThrow();
    } finally {
      process.stdout.write = write;
    }
  });
});
