/**
 * A crash of one part never takes the others down silently (issue 10, class 7): when a service of
 * `y2c up` dies (here anvil, killed with SIGKILL), `up` says which part died, stops every other
 * part (the bundler is not orphaned), removes its runtime file and exits non-zero.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startUp } from '../fixtures/startUp.js';

const dataDir = mkdtempSync(join(tmpdir(), 'y2c-supervisor-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a crashed part stops the world', () => {
  it('anvil killed: up reports it, stops the bundler, provider and agent, and exits non-zero', async () => {
    const world = await startUp({ Y2C_DATA_DIR: dataDir });
    const runtime = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as { children: number[] };
    const [anvil, bundler] = runtime.children;
    expect(anvil && alive(anvil)).toBe(true);
    expect(bundler && alive(bundler)).toBe(true);
    process.kill(anvil!, 'SIGKILL');
    const code = await Promise.race([world.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 30_000))]);
    if (code === 'still running') await world.stop();
    expect(code, world.output()).not.toBe('still running');
    expect(code).not.toBe(0);
    expect(world.output()).toMatch(/y2c up: anvil exited with SIGKILL; stopping everything/);
    expect(alive(bundler!)).toBe(false);
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(dataDir) && !line.includes('ps -eo'));
    expect(left).toEqual([]);
  });
});
