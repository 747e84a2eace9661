/**
 * `y2c up`, the embedded default, as a user runs it: a child process on a fresh data folder brings
 * up the whole local world, prints the chat URL, serves the chat API and the page there, and stops
 * everything on SIGINT.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/y2c.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'y2c-up-'));
const cwd = mkdtempSync(join(tmpdir(), 'y2c-up-cwd-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('y2c up', () => {
  it('brings up the local world, prints the chat URL where the chat and page are served, and stops on SIGINT', async () => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('Y2C_')));
    const chatPort = await freePort();
    const env = {
      ...base,
      Y2C_DATA_DIR: dataDir,
      Y2C_LOG_LEVEL: 'warn',
      Y2C_ANVIL_PORT: String(await freePort()),
      Y2C_BUNDLER_PORT: String(await freePort()),
      Y2C_PROVIDER_PORT: String(await freePort()),
      Y2C_CHAT_PORT: String(chatPort),
    };
    const child = spawn(process.execPath, [bin, 'up'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const deadline = Date.now() + 180_000;
      while (!output.includes('y2c is up')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`y2c up did not come up:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 200)); // the rest of the summary
      const chatUrl = /chat \+ page\s+(\S+)/.exec(output)?.[1];
      expect(chatUrl, output).toBe(`http://127.0.0.1:${chatPort}`);
      const config = (await (await fetch(`${chatUrl}/api/config`)).json()) as { devnet: boolean; agent: string };
      expect(config.devnet).toBe(true);
      expect(output).toContain(`TBA ${config.agent}`);
      expect((await fetch(`${chatUrl}/`)).headers.get('content-type')).toMatch(/^text\/html/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${chatPort}/api/config`)).rejects.toThrow();
  });
});
