/**
 * The RPC goes down under a running daemon (a TCP proxy in front of anvil is cut): the treasury job
 * fails, is recorded, backs off exponentially, signs and journals nothing while it cannot read the
 * chain (no decision is ever made from balances it could not read), and recovers on the first tick
 * after the RPC is back. Provider-down failover is covered in brain.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type StartAgentReturnType } from '../../agent/daemon/startAgent.js';
import { silentLogger } from '../../core/Logger.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';
import { startTcpProxy, type TcpProxy } from '../fixtures/startTcpProxy.js';
import { configFor } from '../fixtures/treasuryContextFor.js';

let world: AgentWorld;
let proxy: TcpProxy;
let agent: StartAgentReturnType | undefined;

beforeAll(async () => {
  world = await startAgentWorld();
  proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(world.devnet.anvil.rpcUrl).port) });
});
afterAll(async () => {
  await agent?.stop();
  await proxy?.stop();
  await world?.stop();
});

/** Polls `condition` every 100 ms until it holds (a condition, not a timing goal; the cap only ends a hung test). */
async function until(condition: () => boolean | Promise<boolean>, what: string, capMs = 60_000): Promise<void> {
  const deadline = Date.now() + capMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('RPC down mid-run', () => {
  it('the treasury job fails, is recorded, backs off, signs nothing while down, and recovers when the RPC is back', async () => {
    await world.warp(30 * 86_400); // yield is due: a working treasury tick would harvest
    const config = configFor(world);
    agent = await startAgent(
      { ...config, agent: { ...config.agent, schedules: { treasury: '* * * * * *', settle: '0 0 1 1 *', reflect: '0 0 1 1 *' } } },
      {
        connection: { rpcUrl: proxy.url, deployment: world.deployment, sessionKeyPath: world.devnet.sessionKeyPath },
        runTreasuryOnStart: false,
        jobBackoff: { baseMs: 1_500, maxMs: 6_000 },
        chatPort: 0,
        healthPort: 0,
        log: silentLogger,
      },
    );
    const treasury = agent.scheduler.jobs.treasury!;
    const memory = agent.memory;
    const nonceBefore = await world.publicClient.getTransactionCount({ address: world.wallet.sessionKey });
    expect(memory.ledger.listRecent(100)).toEqual([]);

    await proxy.cut();
    await until(() => treasury.failures() >= 2, 'two failed treasury ticks');
    const failed = memory.jobRuns.listRecent(50, 'treasury');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.every((run) => run.ok === false && typeof run.error === 'string' && run.error.length > 0)).toBe(true);

    // Backing off: inside the window a tick is declined, neither run nor recorded; the window doubles.
    const failures = treasury.failures();
    const until1 = treasury.backoffUntil()!;
    expect(until1).toBeGreaterThan(Date.now());
    expect(await treasury.tick()).toBe('backoff');
    expect(memory.jobRuns.listRecent(50, 'treasury')).toHaveLength(failed.length);
    const health = (await (await fetch(agent.healthUrl)).json()) as { jobs: { treasury: { failures: number; lastOk: boolean } } };
    expect(health.jobs.treasury.failures).toBe(failures);
    expect(health.jobs.treasury.lastOk).toBe(false);
    await until(() => treasury.failures() > failures, 'one more failed tick after the window');
    const until2 = treasury.backoffUntil()!;
    const lastFailedAt = memory.jobRuns.lastRun('treasury')!;
    expect(lastFailedAt.ok).toBe(false);
    // The next window is longer than the one before (1.5 s, 3 s, 6 s, capped at 6 s).
    expect(until2 - Date.now()).toBeGreaterThan(1_500);

    // Nothing was decided from values it could not read: no intent journaled, nothing signed.
    expect(memory.ledger.listRecent(100)).toEqual([]);
    expect(await world.publicClient.getTransactionCount({ address: world.wallet.sessionKey })).toBe(nonceBefore);

    await proxy.restore();
    await until(() => memory.jobRuns.lastRun('treasury')?.ok === true, 'a treasury tick after the RPC is back');
    expect(treasury.failures()).toBe(0);
    expect(treasury.backoffUntil()).toBeUndefined();
    const [harvest] = memory.ledger.listRecent(10, 'harvest');
    expect(harvest?.status).toBe('confirmed');
    expect(memory.ledger.listPending()).toEqual([]);
    expect(await world.publicClient.getTransactionCount({ address: world.wallet.sessionKey })).toBeGreaterThan(nonceBefore);
  });
});
