import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAgentMemory } from '../../memory/openAgentMemory.js';
import { createScheduler, ScheduleError } from './createScheduler.js';
import { createSingleFlightJob } from './createSingleFlightJob.js';
import { silentLogger } from './Logger.js';

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

  it('records a failing tick and keeps going', async () => {
    let calls = 0;
    const job = createSingleFlightJob({ name: 'flaky', memory, log: silentLogger, run: async () => void (calls++ === 0 ? (() => { throw new Error('boom'); })() : undefined) });
    expect(await job.tick()).toBe('failed');
    expect(await job.tick()).toBe('ran');
    const runs = memory.jobRuns.listRecent(10, 'flaky');
    expect(runs.map((run) => [run.ok, run.error])).toEqual([
      [true, undefined],
      [false, 'boom'],
    ]);
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
