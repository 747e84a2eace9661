/**
 * `y2c up`, the embedded default, as a user runs it: a child process on a fresh data folder brings
 * up the whole local world, prints the chat URL, serves the chat API and the page there, and stops
 * everything on SIGINT.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyModelPath } from '../fixtures/tinyModelPath.js';

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

/** Starts `y2c up` as a child process and resolves once it printed that it is up. */
async function startUp(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [bin, 'up'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const state = { output: '' };
  child.stdout.on('data', (chunk: Buffer) => (state.output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (state.output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 180_000;
  while (!state.output.includes('y2c is up')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`y2c up did not come up:\n${state.output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, state, exited };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('y2c up', () => {
  it('refuses a second up on the same data folder, and reaps the services of one that was killed', async () => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('Y2C_')));
    const reapDir = mkdtempSync(join(tmpdir(), 'y2c-up-reap-'));
    const env = {
      ...base,
      Y2C_DATA_DIR: reapDir,
      Y2C_LOG_LEVEL: 'warn',
      // A world without its provider no longer starts: the tiny model, where it lies.
      Y2C_PROVIDER_MODEL_PATH: tinyModelPath(),
      Y2C_PROVIDER_PORT: String(await freePort()),
      Y2C_CHAT_PORT: String(await freePort()),
    };
    const first = await startUp(env);
    const { children } = JSON.parse(readFileSync(join(reapDir, 'runtime.json'), 'utf8')) as { children: number[] };
    expect(children.length).toBe(2);
    try {
      const second = spawn(process.execPath, [bin, 'up'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      second.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      expect(await new Promise<number | null>((resolve) => second.on('exit', resolve))).not.toBe(0);
      expect(err).toMatch(/y2c is already running on .* \(pid \d+\)/);
    } finally {
      first.child.kill('SIGKILL');
    }
    await first.exited;
    expect(children.every(alive)).toBe(true); // orphaned by the SIGKILL
    const third = await startUp(env);
    try {
      expect(third.state.output).toContain('stopped 2 service(s) left running by a previous y2c up that was killed');
      expect(children.some(alive)).toBe(false);
    } finally {
      third.child.kill('SIGINT');
    }
    expect(await third.exited).toBe(0);
    rmSync(reapDir, { recursive: true, force: true });
  });

  it('brings up the local world, prints the chat URL where the chat and page are served, and stops on SIGINT', async () => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('Y2C_')));
    const chatPort = await freePort();
    const env = {
      ...base,
      Y2C_DATA_DIR: dataDir,
      Y2C_LOG_LEVEL: 'warn',
      Y2C_PROVIDER_MODEL_PATH: tinyModelPath(),
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
      // The member API and MCP are mounted: the API wants a key, MCP answers public reads without one.
      expect((await fetch(`${chatUrl}/v1/models`)).status).toBe(401);
      const mcp = new Client({ name: 'up-test', version: '1.0.0' });
      await mcp.connect(new StreamableHTTPClientTransport(new URL(`${chatUrl}/mcp`)));
      expect((await mcp.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['list_proposals', 'treasury_status']);
      const treasury = (await mcp.callTool({ name: 'treasury_status', arguments: {} })) as { structuredContent?: { stakers?: number } };
      expect(treasury.structuredContent?.stakers).toBeGreaterThan(0);
      await mcp.close();
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${chatPort}/api/config`)).rejects.toThrow();
  });
});
