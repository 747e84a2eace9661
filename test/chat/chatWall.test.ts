/**
 * Issue 10, off chain: attacks on the chat port (frames, origins, the /rpc proxy, sign-in, escapes)
 * against the real chat server in front of the real devnet, provider node and scripted model.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { LocalAccount } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccount } from '../../devnet/devAccounts.js';
import { writeRuntime } from '../../cli/runtime.js';
import { openAgentMemory } from '../../memory/openAgentMemory.js';
import { chatSse, openSocket, siweFor, signIn, verify } from './chatClient.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { demoStaker, startChatWorld, type ChatWorld } from './startChatWorld.js';

let world: ChatWorld;
let url: string;
const staker = (i: 0 | 1 | 2) => demoStaker(i).account as unknown as LocalAccount;
const crashes: unknown[] = [];
const onCrash = (error: unknown) => void crashes.push(error);

beforeAll(async () => {
  world = await startChatWorld();
  url = world.server.url;
  process.on('uncaughtException', onCrash);
});

afterAll(async () => {
  process.off('uncaughtException', onCrash);
  await world?.stop();
});

/** Opens a raw TCP connection, upgrades it to a WebSocket by hand and returns it after the 101. */
async function rawUpgrade(target: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(target);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const lines = [
    'GET /api/ws HTTP/1.1',
    `Host: ${hostname}:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  const head = await new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) resolve(text);
    });
    socket.once('close', () => resolve(text));
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, head, closed };
}

/** A masked client frame. */
function frame(opcode: number, payload: Buffer, declaredLength?: bigint): Buffer {
  const mask = randomBytes(4);
  const length = declaredLength ?? BigInt(payload.length);
  let header: Buffer;
  if (length < 126n) header = Buffer.from([0x80 | opcode, 0x80 | Number(length)]);
  else if (length < 65_536n) {
    header = Buffer.alloc(4);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(0x80 | 126, 1);
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(0x80 | 127, 1);
    header.writeBigUInt64BE(length, 2);
  }
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, masked]);
}

const stillServes = async () => {
  expect((await fetch(`${url}/api/config`)).status).toBe(200);
  const token = await signIn(url, staker(0));
  const socket = await openSocket(url);
  socket.send({ type: 'auth', token });
  expect((await socket.until((f) => f.type === 'ready')).at(-1)).toMatchObject({ type: 'ready' });
  socket.close();
};

describe('one frame kills the world', () => {
  it('survives an oversize unauthenticated frame, invalid UTF-8 and a bad opcode', async () => {
    const attacks = [
      frame(0x1, Buffer.alloc(16), 10_000_000n), // declares 10 MB, over maxPayload
      frame(0x1, Buffer.from([0xff, 0xfe, 0xfd])), // text frame that is not UTF-8
      frame(0x3, Buffer.from('x')), // reserved opcode
    ];
    for (const bytes of attacks) {
      const { socket, head, closed } = await rawUpgrade(url, { Origin: new URL(url).origin });
      expect(head).toMatch(/^HTTP\/1\.1 101/);
      socket.write(bytes);
      await closed;
    }
    // A raw socket that resets mid-handshake, and a request body that is cut off.
    const { socket } = await rawUpgrade(url, { Origin: new URL(url).origin });
    socket.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(crashes).toEqual([]);
    await stillServes();
  });

  it('refuses an upgrade from another origin', async () => {
    const { head } = await rawUpgrade(url, { Origin: 'http://evil.example' });
    expect(head).toMatch(/^HTTP\/1\.1 403/);
    // Without an Origin header (a CLI client, not a browser) the upgrade goes through.
    const { head: cli, socket } = await rawUpgrade(url);
    expect(cli).toMatch(/^HTTP\/1\.1 101/);
    socket.destroy();
  });

  it('closes a socket that does not authenticate in time', { timeout: 10_000 }, async () => {
    const quick = await world.serve({ authTimeoutMs: 300 });
    const socket = await openSocket(quick.url);
    const closed = await new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));
    expect(closed).toBe(4401);
  });
});

describe('the rpc proxy forwards anything', () => {
  const rpc = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('forwards reads and raw sends, refuses anvil_* and eth_sendTransaction', async () => {
    const read = await rpc({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { result: string }).result).toBe(`0x${world.devnet.anvil.chainId.toString(16)}`);
    const rich = devAccount(7).account.address;
    for (const method of ['anvil_setBalance', 'eth_sendTransaction', 'evm_increaseTime', 'anvil_impersonateAccount']) {
      const refused = await rpc({ jsonrpc: '2.0', id: 2, method, params: method === 'anvil_setBalance' ? [rich, '0x1'] : [] });
      expect(refused.status, method).toBe(403);
    }
    // A batch smuggling one forbidden call is refused whole.
    expect((await rpc([{ jsonrpc: '2.0', id: 3, method: 'eth_chainId' }, { jsonrpc: '2.0', id: 4, method: 'anvil_mine' }])).status).toBe(403);
  });

  it('refuses a foreign Origin, and a body over the limit', async () => {
    expect((await rpc({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }, { origin: 'http://evil.example' })).status).toBe(403);
    const huge = await fetch(`${url}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(200_000) });
    expect(huge.status).toBe(400);
  });
});

describe('smaller holes', () => {
  it('refuses a sign-in URI that only starts like ours (http://host:port.evil.example/)', async () => {
    const signed = await siweFor(url, staker(0), { uri: `${url}.evil.example/login` });
    const { status, body } = await verify(url, signed);
    expect(status).toBe(401);
    expect(body.error?.message).toMatch(/URI/);
    // A path under our origin still signs in.
    expect((await verify(url, await siweFor(url, staker(0), { uri: `${url}/chat` }))).status).toBe(200);
  });

  it('refuses a sign-in without the pass', async () => {
    const { status, body } = await verify(url, await siweFor(url, devAccount(8).account as unknown as LocalAccount));
    expect(status).toBe(403);
    expect(body.error?.code).toBe('no_pass');
  });

  it('keeps databases, state and runtime.json private (0600 files, 0700 folders)', () => {
    const mode = (path: string) => statSync(path).mode & 0o777;
    for (const name of ['agent.db', 'provider.db', 'paying.db', 'deployment.json']) expect(mode(join(world.dir, name)), name).toBe(0o600);
    const nested = openAgentMemory(join(world.dir, 'nested', 'agent.db'));
    nested.close();
    expect(mode(join(world.dir, 'nested'))).toBe(0o700);
    expect(mode(join(world.dir, 'nested', 'agent.db'))).toBe(0o600);
    // A file left world-readable by an older version is tightened when reopened.
    const old = join(world.dir, 'old');
    mkdirSync(old, { mode: 0o755 });
    writeFileSync(join(old, 'runtime.json'), '{}', { mode: 0o644 });
    writeRuntime(old, { pid: 1, rpcUrl: 'http://127.0.0.1:1', startedAt: new Date(0).toISOString() });
    expect(mode(join(old, 'runtime.json'))).toBe(0o600);
  });

  it('answers a malformed % escape with 400, not 500', async () => {
    const page = await world.serve({ webRoot: 'agent/web/dist' });
    const response = await fetch(`${page.url}/%E0%A4%A`);
    expect(response.status).toBe(400);
  });
});

const computeBalance = (address: `0x${string}`) =>
  world.devnet.publicClient.readContract({ address: world.devnet.deployment.agent.vault, abi: yieldVaultAbi, functionName: 'computeBalanceOf', args: [address] });
const providerCharged = async () => (await world.provider.store.charges(world.channelId)).reduce((sum, charge) => sum + charge.cost, 0n);
const used = (address: `0x${string}`) => world.memory.members.get(address)?.quotaUsed ?? 0n;

/** Waits until the provider holds nothing reserved on the channel (every call settled). */
async function settledAtProvider() {
  for (let i = 0; i < 100; i++) {
    if ((await world.provider.store.channel(world.channelId)).reserved === 0n) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the provider still holds a reservation');
}

describe('replies never paid for', () => {
  it('concurrent messages of one member over sockets and SSE never overdraw the quota, and each is charged what it cost', { timeout: 60_000 }, async () => {
    const server = await world.serve({ limits: { member: { capacity: 100, refillPerSecond: 10 }, maxReplyCost: 400n } });
    const member = staker(2);
    const token = await signIn(server.url, member);
    // Leave the member 250 units: about two replies' worth, far less than eight.
    const balance = await computeBalance(member.address);
    world.memory.members.addQuotaUsed(member.address, balance - 250n - used(member.address));
    const usedBefore = used(member.address);
    const chargedBefore = await providerCharged();
    const sockets = await Promise.all([0, 1, 2, 3].map(() => openSocket(server.url)));
    for (const socket of sockets) {
      socket.send({ type: 'auth', token });
      await socket.until((f) => f.type === 'ready');
    }
    const outcomes = await Promise.all([
      ...sockets.map(async (socket, i) => {
        socket.send({ type: 'message', id: `s${i}`, content: `socket ${i}` });
        const last = (await socket.until((f) => f.type === 'done' || f.type === 'error')).at(-1)!;
        socket.close();
        return last.type === 'done' ? 'done' : String((last as { status?: number }).status);
      }),
      ...[0, 1, 2, 3].map(async (i) => {
        const answer = await chatSse(server.url, token, { content: `sse ${i}` });
        return answer.status === 200 ? (answer.events.at(-1)?.event === 'done' ? 'done' : 'failed') : String(answer.status);
      }),
    ]);
    await settledAtProvider();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(used(member.address)).toBeLessThanOrEqual(await computeBalance(member.address));
    const charged = used(member.address) - usedBefore;
    expect(charged).toBe((await providerCharged()) - chargedBefore);
    expect(outcomes).toContain('done');
    expect(outcomes).toContain('429');
  });

  it('a member who aborts an SSE stream or closes the socket mid-reply pays what the provider charged', { timeout: 60_000 }, async () => {
    const member = staker(1);
    const token = await signIn(url, member);
    const usedBefore = used(member.address);
    const chargedBefore = await providerCharged();

    const controller = new AbortController();
    const response = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ content: 'slowly, over SSE' }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let seen = '';
    while (!seen.includes('event: token')) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    // The next message waits until the cut-off reply is charged and its reservation released.
    for (let i = 0; i < 100 && used(member.address) === usedBefore; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(used(member.address)).toBeGreaterThan(usedBefore);

    const socket = await openSocket(url);
    socket.send({ type: 'auth', token });
    await socket.until((f) => f.type === 'ready');
    socket.send({ type: 'message', id: 'cut', content: 'slowly, over a socket' });
    await socket.until((f) => f.type === 'token');
    socket.ws.terminate();

    await settledAtProvider();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const providerTook = (await providerCharged()) - chargedBefore;
    expect(providerTook).toBeGreaterThan(0n);
    expect(used(member.address) - usedBefore).toBe(providerTook);
  });
});
