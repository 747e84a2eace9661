import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAgentMemory } from '../../memory/openAgentMemory.js';
import { createScheduler, ScheduleError } from './createScheduler.js';
import { createSingleFlightJob } from './createSingleFlightJob.js';
import { silentLogger } from '../../core/Logger.js';

const dir = mkdtempSync(join(tmpdir(), 'y2c-jobs-'));
const memory = openAgentMemory(join(dir, 'agent.db'));
afterAll(() => {
  memory.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('single-flight job', () => {
  it('never runs twice at once: an overlapping tick is skipped', async () => {
    let active = 0;
    let maxActive = 0;
    let release!: () => void;
    const job = createSingleFlightJob({
      name: 'slow',
      memory,
      log: silentLogger,
      run: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((resolve) => (release = resolve));
        active--;
        return { done: true };
      },
    });
    const first = job.tick();
    expect(job.running()).toBe(true);
    expect(await job.tick()).toBe('skipped');
    expect(await job.tick()).toBe('skipped');
    release();
    expect(await first).toBe('ran');
    expect(maxActive).toBe(1);
    expect(memory.jobRuns.listRecent(10, 'slow').map((run) => run.ok)).toEqual([true]);
    const second = job.tick();
    release();
    expect(await second).toBe('ran');
  });

  it('records a failing tick and keeps going once its backoff has passed', async () => {
    let calls = 0;
    let clock = 1_000_000;
    const job = createSingleFlightJob({
      name: 'flaky',
      memory,
      log: silentLogger,
      now: () => clock,
      run: async () => void (calls++ === 0 ? (() => { throw new Error('boom'); })() : undefined),
    });
    expect(await job.tick()).toBe('failed');
    clock += 30_000;
    expect(await job.tick()).toBe('ran');
    const runs = memory.jobRuns.listRecent(10, 'flaky');
    expect(runs.map((run) => [run.ok, run.error])).toEqual([
      [true, undefined],
      [false, 'boom'],
    ]);
  });

  it('backs off exponentially after failures (declined ticks are not run nor recorded), capped, reset by a success', async () => {
    let clock = 5_000_000;
    let failing = true;
    let runs = 0;
    const job = createSingleFlightJob({
      name: 'backoff',
      memory,
      log: silentLogger,
      now: () => clock,
      backoff: { baseMs: 1_000, maxMs: 4_000 },
      run: async () => {
        runs++;
        if (failing) throw new Error('rpc down');
      },
    });
    const windows: number[] = [];
    for (let failure = 1; failure <= 4; failure++) {
      expect(await job.tick()).toBe('failed');
      expect(job.failures()).toBe(failure);
      const until = job.backoffUntil() as number;
      windows.push(until - clock);
      clock = until - 1;
      expect(await job.tick()).toBe('backoff');
      clock = until;
    }
    expect(windows).toEqual([1_000, 2_000, 4_000, 4_000]);
    expect(runs).toBe(4);
    expect(memory.jobRuns.listRecent(10, 'backoff')).toHaveLength(4);
    failing = false;
    expect(await job.tick()).toBe('ran');
    expect(job.failures()).toBe(0);
    expect(job.backoffUntil()).toBeUndefined();
    expect(await job.tick()).toBe('ran');
  });
});

describe('scheduler', () => {
  it('ticks on its cron and stop() waits for the running tick', async () => {
    let finished = 0;
    const job = createSingleFlightJob({ name: 'every-second', memory, log: silentLogger, run: async () => void (await new Promise((resolve) => setTimeout(resolve, 300)), finished++) });
    const scheduler = createScheduler({ jobs: [{ job, cron: '* * * * * *' }], log: silentLogger });
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const busy = scheduler.busy() || job.running();
    await scheduler.stop();
    expect(job.running()).toBe(false);
    expect(finished).toBeGreaterThanOrEqual(1);
    const after = finished;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(finished).toBe(after);
    expect(typeof busy).toBe('boolean');
  });

  it('refuses an invalid cron expression with how to fix it', () => {
    const job = createSingleFlightJob({ name: 'x', memory, log: silentLogger, run: async () => {} });
    expect(() => createScheduler({ jobs: [{ job, cron: 'every day' }], log: silentLogger })).toThrow(ScheduleError);
  });
});
