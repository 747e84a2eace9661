/**
 * Two worlds side by side: `y2c up` takes free ports for everything by default, a configured port
 * that is taken stops the start with one sentence and leaves nothing running, and a second provider
 * node with the same key cannot move the market entry away from the node that serves it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, type Address } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { runCli } from '../fixtures/runCli.js';
import { startUp, type StartUpReturnType } from '../fixtures/startUp.js';
import { tinyModelPath } from '../fixtures/tinyModelPath.js';

const dirs = [0, 1, 2].map((i) => mkdtempSync(join(tmpdir(), `y2c-world-${i}-`)));
let a: StartUpReturnType;
let b: StartUpReturnType;

beforeAll(async () => {
  a = await startUp({ Y2C_DATA_DIR: dirs[0]! });
  b = await startUp({ Y2C_DATA_DIR: dirs[1]! });
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Processes whose command line names this folder (anvil's --state, alto…). */
const processesOf = (dir: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir) && !line.includes('ps -eo'));

describe('two worlds side by side', () => {
  it('both come up on free ports and answer there', async () => {
    for (const label of ['chat + page', 'provider', 'chain (anvil)', 'bundler (alto)']) expect(a.url(label)).not.toBe(b.url(label));
    for (const world of [a, b]) {
      const config = (await (await fetch(`${world.url('chat + page')}/api/config`)).json()) as { devnet: boolean };
      expect(config.devnet).toBe(true);
      expect((await fetch(`${world.url('provider')}/models`)).status).toBe(200);
    }
  });

  for (const [option, variable, label] of [
    ['provider.port', 'Y2C_PROVIDER_PORT', 'provider'],
    ['agent.chat.port', 'Y2C_CHAT_PORT', 'chat + page'],
  ] as const) {
    it(`a taken ${option} stops the start with one sentence and leaves nothing running`, async () => {
      const port = new URL(a.url(label)).port;
      const third = await startUp({ Y2C_DATA_DIR: dirs[2]!, [variable]: port }, { wait: false });
      expect(await third.exited).not.toBe(0);
      const errors = third.output().split('\n').filter((line) => line.startsWith('error:'));
      expect(errors, third.output()).toEqual([`error: Port ${port} on 127.0.0.1 is already in use (${option}): stop what listens there, or set ${option} to another port, or 0 for a free one.`]);
      expect(third.output()).not.toMatch(/EADDRINUSE|\n\s+at /);
      expect(third.output()).not.toContain('y2c is up');
      expect(existsSync(join(dirs[2]!, 'runtime.json'))).toBe(false);
      expect(processesOf(dirs[2]!)).toEqual([]);
      // The world that owns the port is untouched.
      expect((await fetch(`${a.url('chat + page')}/api/config`)).status).toBe(200);
    });
  }

  it('a second provider node with the same key is refused and the market entry stays with the first', async () => {
    const market = /market\s+(0x[0-9a-fA-F]{40})/.exec(a.output())?.[1] as Address;
    const client = createPublicClient({ chain: foundry, transport: http(a.url('chain (anvil)')) });
    const provider = devAccount(devRoles.provider).account.address;
    const before = await client.readContract({ address: market, abi: computeMarketAbi, functionName: 'getProvider', args: [provider] });
    expect(before.endpoint).toBe(a.url('provider'));
    const second = await runCli(['provider', 'start'], { Y2C_DATA_DIR: dirs[0]!, Y2C_PROVIDER_MODEL_PATH: tinyModelPath(), Y2C_LOG_LEVEL: 'warn' });
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`error: Provider ${provider} is already served by a running node at ${a.url('provider')}: stop that node first`);
    const after = await client.readContract({ address: market, abi: computeMarketAbi, functionName: 'getProvider', args: [provider] });
    expect(after.endpoint).toBe(a.url('provider'));
    expect(after.active).toBe(true);
  });
});
