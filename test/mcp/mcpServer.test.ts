import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { parseUnits, type LocalAccount } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import type { CreateChatServerReturnType } from '../../agent/chat/createChatServer.js';
import { createMcpMount } from '../../agent/mcp/createMcpMount.js';
import { signIn } from '../chat/chatClient.js';
import { demoStaker, startChatWorld, type ChatWorld } from '../chat/startChatWorld.js';

let world: ChatWorld;
let server: CreateChatServerReturnType;
const clients: Client[] = [];
const staker = (i: 0 | 1 | 2) => demoStaker(i).account as unknown as LocalAccount;
const bin = fileURLToPath(new URL('../../bin/y2c.js', import.meta.url));

const mount = () =>
  createMcpMount({
    client: world.devnet.publicClient,
    chainId: world.devnet.anvil.chainId,
    vault: world.devnet.deployment.agent.vault,
    token: world.devnet.deployment.usdx,
    tokenInfo: { symbol: 'USDx', decimals: 6 },
    agent: world.devnet.deployment.agent.tba,
    memory: world.memory,
  });

beforeAll(async () => {
  world = await startChatWorld();
  server = await world.serve({ mounts: [mount()] });
});

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await world?.stop();
});

/** The SDK's own client over Streamable HTTP, with an optional bearer. */
const connectHttp = async (bearer?: string, url = server.url) => {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), bearer ? { requestInit: { headers: { authorization: `Bearer ${bearer}` } } } : {}));
  clients.push(client);
  return client;
};
const mintKey = async (token: string) =>
  ((await (await fetch(`${server.url}/api/keys`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"label":"mcp"}' })).json()) as { key: string }).key;
const used = (account: LocalAccount) => world.memory.members.get(account.address)?.quotaUsed ?? 0n;
const names = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name).sort();
const errorOf = (result: unknown) => {
  const call = result as CallToolResult;
  expect(call.isError).toBe(true);
  return (call.structuredContent as { error: { code: string; message: string } }).error;
};
/** Runs `refused` and checks nothing reached the provider and nothing was charged. */
const nothingCharged = async (account: LocalAccount, refused: () => Promise<unknown>) => {
  const spent = await world.providerSpent();
  const requests = world.model.requests.length;
  const before = used(account);
  await refused();
  expect(await world.providerSpent()).toBe(spent);
  expect(world.model.requests.length).toBe(requests);
  expect(used(account)).toBe(before);
};

describe('MCP over Streamable HTTP with the SDK client', () => {
  it('an unauthenticated client sees and calls only the public read tools', async () => {
    const client = await connectHttp();
    expect(await names(client)).toEqual(['list_proposals', 'treasury_status']);
    const treasury = (await client.callTool({ name: 'treasury_status', arguments: {} })) as CallToolResult;
    expect(treasury.isError).toBeFalsy();
    const tvl = await world.devnet.publicClient.readContract({ address: world.devnet.deployment.agent.vault, abi: yieldVaultAbi, functionName: 'totalValue' });
    expect(treasury.structuredContent).toMatchObject({ tvl: tvl.toString(), stakers: 3 });
    expect((treasury.content[0] as { text: string }).text).toMatch(/^TVL [\d.]+ USDx/);
    const proposals = (await client.callTool({ name: 'list_proposals', arguments: {} })) as CallToolResult;
    expect((proposals.content[0] as { text: string }).text).toMatch(/no governor/);
    // A member tool is not there for it.
    const asked = (await client.callTool({ name: 'ask_agent', arguments: { question: 'hi' } })) as CallToolResult;
    expect(asked.isError).toBe(true);
    expect(JSON.stringify(asked.content)).toMatch(/ask_agent/);
  });

  it('refuses an unknown or revoked bearer (401) instead of downgrading it to public', async () => {
    await expect(connectHttp('y2c_forged')).rejects.toThrow(/401|revoked|unknown/);
    await expect(connectHttp('not-a-session')).rejects.toThrow(/401|Bearer/);
  });

  it('a member lists their tools, reads member_info, and ask_agent streams progress and is charged exactly as chat', async () => {
    const member = staker(0);
    const client = await connectHttp(await signIn(server.url, member));
    expect(await names(client)).toEqual(['ask_agent', 'list_proposals', 'member_info', 'treasury_status', 'vote']);
    const info = (await client.callTool({ name: 'member_info', arguments: {} })) as CallToolResult;
    expect(info.structuredContent).toMatchObject({ address: member.address, pass: { ok: true } });

    const spentBefore = await world.providerSpent();
    const usedBefore = used(member);
    const progress: string[] = [];
    const result = (await client.callTool({ name: 'ask_agent', arguments: { question: 'hello over mcp' } }, undefined, {
      onprogress: (p) => void progress.push(p.message ?? ''),
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const reply = 'You said: hello over mcp. Yield pays for this reply.';
    expect((result.content[0] as { text: string }).text).toBe(reply);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.join('')).toBe(reply);
    const { costUnits, conversationId } = result.structuredContent as { costUnits: string; conversationId: number };
    const cost = BigInt(costUnits);
    expect(cost).toBeGreaterThan(0n);
    expect(await world.providerSpent()).toBe(spentBefore + cost);
    expect(used(member)).toBe(usedBefore + cost);
    // Stored like a chat message, in the member's conversation.
    expect(world.memory.conversations.recentMessages(conversationId).map((m) => [m.role, m.content])).toEqual([
      ['user', 'hello over mcp'],
      ['assistant', reply],
    ]);
    const vote = (await client.callTool({ name: 'vote', arguments: { proposalId: '1', support: 'for' } })) as CallToolResult;
    expect(errorOf(vote).message).toMatch(/no governor/);
  });

  it('refuses bad input, no pass and over quota without charging', async () => {
    const member = staker(1);
    const key = await mintKey(await signIn(server.url, member));
    const client = await connectHttp(key);
    await nothingCharged(member, async () => {
      const empty = (await client.callTool({ name: 'ask_agent', arguments: { question: '' } })) as CallToolResult;
      expect(empty.isError).toBe(true);
      expect(JSON.stringify(empty.content)).toMatch(/question/);
      const wrongType = (await client.callTool({ name: 'ask_agent', arguments: { question: 42 } })) as CallToolResult;
      expect(wrongType.isError).toBe(true);
      const badId = (await client.callTool({ name: 'vote', arguments: { proposalId: '0x12', support: 'for' } })) as CallToolResult;
      expect(badId.isError).toBe(true);
      expect(JSON.stringify(badId.content)).toMatch(/proposalId/);
    });
    const strict = await world.serve({ pass: { kind: 'stake', minStake: parseUnits('1000000', 6) }, mounts: [mount()] });
    const outside = await connectHttp(key, strict.url);
    await nothingCharged(member, async () => {
      expect(errorOf(await outside.callTool({ name: 'ask_agent', arguments: { question: 'let me in' } })).code).toBe('no_pass');
    });
    const balance = await world.devnet.publicClient.readContract({ address: world.devnet.deployment.agent.vault, abi: yieldVaultAbi, functionName: 'computeBalanceOf', args: [member.address] });
    world.memory.members.addQuotaUsed(member.address, balance - used(member));
    await nothingCharged(member, async () => {
      const error = errorOf(await client.callTool({ name: 'ask_agent', arguments: { question: 'one more' } })) as { code: string; restore?: { additionalStake: string } };
      expect(error.code).toBe('quota_exhausted');
      expect(BigInt(error.restore?.additionalStake ?? '0')).toBeGreaterThan(0n);
    });
  });
});

describe('MCP over stdio (`y2c mcp`) with the SDK client', () => {
  it('lists and calls the member tools through the bridge, progress relayed', async () => {
    const member = staker(2);
    const key = await mintKey(await signIn(server.url, member));
    const client = new Client({ name: 'test-stdio', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, 'mcp', '--url', server.url, '--key', key],
      cwd: mkdtempSync(join(tmpdir(), 'y2c-mcp-cwd-')),
      env: Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('Y2C_'))),
      stderr: 'pipe',
    });
    await client.connect(transport);
    clients.push(client);
    expect(await names(client)).toEqual(['ask_agent', 'list_proposals', 'member_info', 'treasury_status', 'vote']);
    const usedBefore = used(member);
    const progress: string[] = [];
    const result = (await client.callTool({ name: 'ask_agent', arguments: { question: 'hello over stdio' } }, undefined, {
      onprogress: (p) => void progress.push(p.message ?? ''),
    })) as CallToolResult;
    const reply = 'You said: hello over stdio. Yield pays for this reply.';
    expect((result.content[0] as { text: string }).text).toBe(reply);
    expect(progress.join('')).toBe(reply);
    expect(used(member)).toBe(usedBefore + BigInt((result.structuredContent as { costUnits: string }).costUnits));
    const bad = (await client.callTool({ name: 'ask_agent', arguments: {} })) as CallToolResult;
    expect(bad.isError).toBe(true);
    await client.close();
  });

  it('without a key serves only the public reads', async () => {
    const client = new Client({ name: 'test-stdio', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp', '--url', server.url], cwd: mkdtempSync(join(tmpdir(), 'y2c-mcp-cwd-')), stderr: 'pipe' }));
    clients.push(client);
    expect(await names(client)).toEqual(['list_proposals', 'treasury_status']);
    await client.close();
  });
});
