import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import OpenAI from 'openai';
import { createWalletClient, encodeFunctionData, http, type Hex, type LocalAccount } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type StartAgentReturnType } from '../../agent/daemon/startAgent.js';
import { silentLogger } from '../../core/Logger.js';
import { agentGovernorAbi } from '../../chain/abi/generated/agentGovernor.js';
import { charterAbi } from '../../chain/abi/generated/charter.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { loadConfig } from '../../config/loadConfig.js';
import { signIn } from '../chat/chatClient.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';
import { startProviderNode, type ProviderNode } from '../fixtures/startProviderNode.js';
import { startTelegramStandIn } from '../fixtures/startTelegramStandIn.js';

// The daemon as `y2c start` runs it, with its brain on a real provider node: a member reaches the
// agent through its OpenAI-compatible API, MCP over HTTP and stdio, and a linked Telegram chat.

const botToken = '42:DAEMON-TOKEN';
const bin = fileURLToPath(new URL('../../bin/y2c.js', import.meta.url));
let world: AgentWorld;
let provider: ProviderNode;
let agent: StartAgentReturnType;
let standIn: Awaited<ReturnType<typeof startTelegramStandIn>>;
const clients: Client[] = [];
const member = devAccount(devRoles.firstStaker + 2).account as unknown as LocalAccount; // 5000 USDx: quorum alone
const used = () => agent.memory.members.get(member.address)?.quotaUsed ?? 0n;
const lastUser = (messages: Array<{ role: string; content?: unknown }>) => {
  const content = messages.filter((m) => m.role === 'user').at(-1)?.content;
  return typeof content === 'string' ? content : '';
};

beforeAll(async () => {
  world = await startAgentWorld();
  provider = await startProviderNode(world, { replies: (request) => ({ content: `Agent says: ${lastUser(request.messages)}` }) });
  await world.warp(30 * 86_400);
  standIn = await startTelegramStandIn({ [botToken]: 'y2c_daemon_bot' });
  const config = loadConfig({
    cwd: world.dir,
    env: { Y2C_TELEGRAM_BOT_TOKEN: botToken, Y2C_TELEGRAM_API_ROOT: standIn.apiRoot },
    overrides: { dataDir: world.dir, chain: { transport: 'direct' }, agent: { trustedProviders: [world.provider], telegram: { editIntervalMs: 50 } } } as never,
  });
  agent = await startAgent(config, {
    connection: { rpcUrl: world.devnet.anvil.rpcUrl, deployment: world.deployment, sessionKeyPath: world.devnet.sessionKeyPath },
    chatPort: 0,
    healthPort: 0,
    runTreasuryOnStart: true,
    log: silentLogger,
  });
  // The treasury harvests and opens the channel the member's requests are paid from.
  await agent.scheduler.jobs.treasury?.idle();
  expect(agent.memory.channels.listOpen()).toHaveLength(1);
});

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await agent?.stop();
  await standIn?.stop();
  await provider?.stop();
  await world?.stop();
});

describe('a member reaches the running daemon', () => {
  it('through the OpenAI-compatible API with an API key (official client), charged what the paid call cost', async () => {
    const token = await signIn(agent.chatUrl, member);
    const minted = (await (await fetch(`${agent.chatUrl}/api/keys`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).json()) as { key: string };
    const openai = new OpenAI({ baseURL: `${agent.chatUrl}/v1`, apiKey: minted.key, maxRetries: 0 });
    expect((await openai.models.list()).data.map((model) => model.id)).toEqual(['scripted']);
    const before = used();
    const { data, response } = await openai.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'via the api' }], max_tokens: 16 }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Agent says: via the api');
    const cost = BigInt(response.headers.get('x-y2c-cost') ?? '0');
    expect(cost).toBeGreaterThan(0n);
    expect(used()).toBe(before + cost);
    // Booked on the agent's ledger of calls as this member's.
    expect(agent.memory.calls.providerStats().length).toBeGreaterThan(0);
  });

  it('through MCP over HTTP: the brain answers ask_agent with progress; list_proposals and vote use the governor', async () => {
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${agent.chatUrl}/mcp`), { requestInit: { headers: { authorization: `Bearer ${await signIn(agent.chatUrl, member)}` } } }));
    clients.push(client);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['ask_agent', 'list_proposals', 'member_info', 'treasury_status', 'vote']);
    const before = used();
    const progress: string[] = [];
    const asked = (await client.callTool({ name: 'ask_agent', arguments: { question: 'over mcp' } }, undefined, { onprogress: (p) => void progress.push(p.message ?? '') })) as CallToolResult;
    expect((asked.content[0] as { text: string }).text).toBe('Agent says: over mcp');
    expect(progress.join('')).toBe('Agent says: over mcp');
    expect(used()).toBe(before + BigInt((asked.structuredContent as { costUnits: string }).costUnits));

    // A member proposes (from their own wallet); after the voting delay MCP lists it active and prepares the vote.
    const governance = world.deployment.governance!;
    const wallet = createWalletClient({ chain: { ...foundry, id: world.devnet.anvil.chainId }, transport: http(world.devnet.anvil.rpcUrl), account: devAccount(devRoles.firstStaker + 2).account });
    const charterCall = encodeFunctionData({ abi: charterAbi, functionName: 'version' });
    const hash = await wallet.writeContract({ address: governance.governor, abi: agentGovernorAbi, functionName: 'propose', args: [[governance.charter], [0n], [charterCall as Hex], 'MCP e2e: a harmless proposal'] });
    await world.publicClient.waitForTransactionReceipt({ hash });
    await world.warp(600);
    const listed = (await client.callTool({ name: 'list_proposals', arguments: { state: 'active' } })) as CallToolResult;
    const [proposal] = (listed.structuredContent as { proposals: Array<{ id: string; member: { votingPower: string; hasVoted: boolean } }> }).proposals;
    expect(proposal?.member).toMatchObject({ hasVoted: false });
    expect(BigInt(proposal!.member.votingPower)).toBeGreaterThan(0n);
    const vote = (await client.callTool({ name: 'vote', arguments: { proposalId: proposal!.id, support: 'for', reason: 'via mcp' } })) as CallToolResult;
    expect(vote.isError).toBeFalsy();
    const { transaction } = vote.structuredContent as { transaction: { to: `0x${string}`; data: Hex } };
    expect(transaction.to).toBe(governance.governor);
    // The member's own wallet sends it; the agent voted for nobody and paid nothing.
    await world.publicClient.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: transaction.to, data: transaction.data }) });
    const again = (await client.callTool({ name: 'vote', arguments: { proposalId: proposal!.id, support: 'for' } })) as CallToolResult;
    expect(again.isError).toBe(true);
    expect(JSON.stringify(again.content)).toMatch(/already voted/);
  });

  it('through MCP over stdio (`y2c mcp --sign-in`)', async () => {
    const client = new Client({ name: 'e2e-stdio', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, 'mcp', '--url', agent.chatUrl, '--sign-in', '--dev-account', String(devRoles.firstStaker + 2)],
        cwd: mkdtempSync(join(tmpdir(), 'y2c-mcp-e2e-')),
        env: { ...Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('Y2C_'))), Y2C_RPC_URL: world.devnet.anvil.rpcUrl, Y2C_DATA_DIR: world.dir },
        stderr: 'pipe',
      });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await client.connect(transport).catch((error: unknown) => {
      throw new Error(`y2c mcp failed: ${String(error)}\n${stderr}`);
    });
    clients.push(client);
    const info = (await client.callTool({ name: 'member_info', arguments: {} })) as CallToolResult;
    expect(info.structuredContent).toMatchObject({ address: member.address, pass: { ok: true } });
    await client.close();
  });

  it('through a linked Telegram chat, answered by the brain and charged', async () => {
    const token = await signIn(agent.chatUrl, member);
    const link = (await (await fetch(`${agent.chatUrl}/api/telegram/link`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()) as { command: string; bot: string };
    expect(link.bot).toBe('@y2c_daemon_bot');
    let count = standIn.sent(botToken).length;
    standIn.push(botToken, { chatId: 900, userId: 900, text: link.command });
    await standIn.waitFor(botToken, (sent) => (sent[count]?.message.text.startsWith('Linked to') ? true : undefined));
    const before = used();
    count = standIn.sent(botToken).length;
    standIn.push(botToken, { chatId: 900, userId: 900, text: 'over telegram' });
    const reply = await standIn.waitFor(botToken, (sent) => (sent[count]?.message.text === 'Agent says: over telegram' ? sent[count] : undefined));
    expect(reply.texts[0]).toBe('…');
    await standIn.waitFor(botToken, () => (used() > before ? true : undefined));
    expect(used() - before).toBeGreaterThan(0n);
    // Across the API, MCP and Telegram the member was charged exactly the paid calls made for them.
    expect(used()).toBe(agent.memory.calls.spendSince({ since: 0, member: member.address }));
  });
});
