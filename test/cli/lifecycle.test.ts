/**
 * One lifecycle for `y2c up` (issue 18 item 4): parts start in order and stop in reverse on SIGTERM;
 * a part that fails to start (a taken chat port) stops every part that had started (anvil and alto
 * gone, their ports free); and `runtime.json` names the child services before the provider starts,
 * so a kill during the start leaves them for the next `up` to reap, not for the OS.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reapStaleRuntime, type Runtime } from '../../cli/runtime.js';
import { startUp } from '../fixtures/startUp.js';

const dataDir = mkdtempSync(join(tmpdir(), 'y2c-lifecycle-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const answers = async (url: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' }).then(
    () => true,
    () => false,
  );
const runtimeOf = (): Runtime => JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as Runtime;
/** The line index of each `stopping <part>` progress line. */
const stopOrder = (output: string) => [...output.matchAll(/\] stopping (.+)$/gm)].map((m) => m[1]!);

describe('one lifecycle for y2c up', () => {
  it('SIGTERM stops every part in reverse order of start, and nothing is left running', async () => {
    const world = await startUp({ Y2C_DATA_DIR: dataDir });
    const { children, rpcUrl, bundlerUrl } = runtimeOf();
    expect(children?.length).toBe(2);
    const output = world.output();
    const startedAt = (line: string) => output.indexOf(line);
    expect(startedAt('starting anvil')).toBeLessThan(startedAt('starting the compute provider'));
    expect(startedAt('starting the compute provider')).toBeLessThan(startedAt('starting the agent'));
    world.child.kill('SIGTERM');
    expect(await world.exited, world.output()).toBe(0);
    const order = stopOrder(world.output());
    expect(order[0], world.output()).toBe('agent');
    // The provider settles on chain while anvil still runs; the bundler and the provider started together.
    expect(order.indexOf('provider')).toBeLessThan(order.indexOf('anvil'));
    expect(order.indexOf('bundler (alto)')).toBeLessThan(order.indexOf('anvil'));
    expect(order.slice(-3)).toEqual(['anvil', 'provider model', 'runtime file']);
    expect(children!.filter(alive)).toEqual([]);
    expect(await answers(rpcUrl)).toBe(false);
    expect(await answers(bundlerUrl!)).toBe(false);
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
  });

  it('a taken chat port: one sentence, every started part stopped in reverse, anvil and alto gone, ports free', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const world = await startUp({ Y2C_DATA_DIR: dataDir, Y2C_CHAT_PORT: String(port) }, { wait: false });
      // The services it starts, as the runtime file names them while it starts.
      const seen = new Set<number>();
      let rpcUrl = '';
      while (world.child.exitCode === null && world.child.signalCode === null) {
        if (existsSync(join(dataDir, 'runtime.json'))) {
          try {
            const runtime = runtimeOf();
            for (const pid of runtime.children ?? []) seen.add(pid);
            rpcUrl ||= runtime.rpcUrl;
          } catch {
            // Read while being written.
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await world.exited).not.toBe(0);
      const errors = world.output().split('\n').filter((line) => line.startsWith('error:'));
      expect(errors, world.output()).toEqual([`error: Port ${port} on 127.0.0.1 is already in use (agent.chat.port): stop what listens there, or set agent.chat.port to another port, or 0 for a free one.`]);
      expect(seen.size, world.output()).toBe(2);
      const order = stopOrder(world.output());
      expect(order).not.toContain('agent');
      expect(order.slice(-3)).toEqual(['anvil', 'provider model', 'runtime file']);
      expect(order.indexOf('provider')).toBeLessThan(order.indexOf('anvil'));
      expect([...seen].filter(alive)).toEqual([]);
      expect(await answers(rpcUrl)).toBe(false);
      expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
    } finally {
      taken.close();
    }
  });

  it('runtime.json names anvil before the provider starts: killed -9 there, the next up reaps it', async () => {
    const world = await startUp({ Y2C_DATA_DIR: dataDir }, { wait: false });
    while (!world.output().includes('starting the compute provider')) {
      if (world.child.exitCode !== null) throw new Error(world.output());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    world.child.kill('SIGKILL');
    await world.exited;
    const { children } = runtimeOf();
    expect(children?.length, world.output()).toBeGreaterThanOrEqual(1);
    expect(children!.filter(alive)).toEqual(children); // orphaned by the SIGKILL
    const reaped = await reapStaleRuntime(dataDir);
    expect(reaped.sort()).toEqual([...children!].sort());
    expect(children!.filter(alive)).toEqual([]);
  });
});
