/**
 * The whole cycle on real parts: stakers stake, time passes, the daemon harvests the yield into its
 * account and buys compute (a payment channel), a staker signs in to the chat and asks a question, the
 * brain answers it with paid inference through a real provider node (the scripted model behind it),
 * the provider redeems its vouchers on chain, and every book agrees to the unit: the agent's vouchers,
 * the provider's ledger, the chain, the agent's memory and the member's quota.
 */
import { join } from 'node:path';
import { createWalletClient, formatUnits, http, parseUnits, type Address } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type StartAgentReturnType } from '../../agent/daemon/startAgent.js';
import { silentLogger } from '../../core/Logger.js';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { stake } from '../../chain/vault/stake.js';
import { chatSse, signIn } from '../chat/chatClient.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';
import { startProviderNode, type ProviderNode } from '../fixtures/startProviderNode.js';
import { configFor } from '../fixtures/treasuryContextFor.js';
import { runCli } from '../fixtures/runCli.js';
import type { ScriptedReply } from '../fixtures/scriptedModel.js';

let world: AgentWorld;
let provider: ProviderNode;
let agent: StartAgentReturnType | undefined;
/** Scripted replies in order, except questions starting "long:"/"short:", answered by length whatever the order. */
const script: ScriptedReply[] = [];
const push = (...replies: ScriptedReply[]) => void script.push(...replies);
const long = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');

beforeAll(async () => {
  world = await startAgentWorld();
  provider = await startProviderNode(world, {
    replies: (request) => {
      const last = request.messages.at(-1);
      const question = last?.role === 'user' && typeof last.content === 'string' ? last.content : '';
      if (question.startsWith('long:')) return { content: long, chunkDelayMs: 4 };
      if (question.startsWith('short:')) return { content: 'Short and cheap.', delayMs: 150 };
      return script.shift() ?? { status: 500 };
    },
  });
});
afterAll(async () => {
  await agent?.stop();
  await provider?.stop();
  await world?.stop();
});

describe('whole cycle', () => {
  it('stake → warp → harvest → channel → a member asks in the chat → paid answer → redemption; vouchers, provider, chain, ledger and quota agree', async () => {
    const { publicClient, deployment } = world;
    const { vault } = deployment.agent;
    const tba = deployment.agent.tba;
    const member = devAccount(devRoles.firstStaker).account; // a demo staker (1000 USDx staked by the devnet)

    // Stakers stake: one more on top of the demo stakers.
    const newcomer = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: devAccount(devRoles.firstStaker + 3).account, pollingInterval: 100 });
    await stake({ publicClient, walletClient: newcomer }, { vault, asset: deployment.usdx, amount: parseUnits('2000', 6), useFaucet: true });
    await world.warp(30 * 86_400);
    const tbaBefore = await publicClient.readContract({ address: deployment.usdx, abi: usdxAbi, functionName: 'balanceOf', args: [tba] });
    const pending = await publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'pendingYield' });
    expect(pending).toBeGreaterThan(0n);

    // The daemon harvests and opens a channel on its own (no LLM).
    const config = configFor(world);
    agent = await startAgent(
      { ...config, agent: { ...config.agent, schedules: { treasury: '0 0 1 1 *', settle: '0 0 1 1 *', reflect: '0 0 1 1 *' } } },
      {
        connection: { rpcUrl: world.devnet.anvil.rpcUrl, deployment, sessionKeyPath: world.devnet.sessionKeyPath },
        chatPort: 0,
        healthPort: 0,
        log: silentLogger,
      },
    );
    await agent.scheduler.jobs.treasury?.idle();
    expect(agent.memory.jobRuns.lastRun('treasury')?.ok).toBe(true);
    const [harvest] = agent.memory.ledger.listRecent(10, 'harvest');
    const [opened] = agent.memory.ledger.listRecent(10, 'open_channel');
    expect(harvest?.status).toBe('confirmed');
    expect(opened?.status).toBe('confirmed');
    const [channel] = agent.memory.channels.listOpen();
    expect(channel).toBeDefined();
    const channelId = channel!.channelId;
    expect(provider.model.requests).toHaveLength(0);

    // A member asks through the chat API; the brain looks at its treasury, then answers, streamed.
    const answer = 'Your stake earns the yield that pays for this very answer, word by word.';
    push({ toolCalls: [{ name: 'treasury_status', arguments: '{}' }] }, { content: answer, chunkDelayMs: 3 });
    const page = await fetch(`${agent.chatUrl}/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/); // agent/web/dist, built by `npm run build`
    expect(await page.text()).toContain('<script');
    const token = await signIn(agent.chatUrl, member);
    const reply = await chatSse(agent.chatUrl, token, { content: 'Who pays for your thinking?' });
    expect(reply.status).toBe(200);
    const tokens = reply.events.filter((event) => event.event === 'token').map((event) => String(event.data.text));
    const done = reply.events.find((event) => event.event === 'done')?.data as { text: string; costUnits: string; quota: { used: string } } | undefined;
    expect(done, JSON.stringify(reply.events.at(-1))).toBeDefined();
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.join('')).toBe(answer);
    expect(done!.text).toBe(answer);
    expect(provider.model.requests).toHaveLength(2);
    expect(JSON.stringify(provider.model.requests[0]?.messages)).toContain('Who pays for your thinking?');
    expect(provider.model.requests[1]?.messages.some((message) => message.role === 'tool')).toBe(true);

    // The books. The agent's vouchers (its one store: the paying client's state is in agent.db):
    const payingStore = agent.payingStore;
    {
      const vouchers = payingStore.getChannel(channelId)!;
      const calls = payingStore.calls(channelId);
      expect(calls).toHaveLength(2);
      const callCost = calls.reduce((sum, call) => sum + call.cost, 0n);
      expect(callCost).toBeGreaterThan(0n);
      expect(vouchers.spent).toBe(callCost);
      expect(vouchers.authorized).toBeGreaterThanOrEqual(vouchers.spent);
      // … the member was charged exactly that:
      expect(BigInt(done!.costUnits)).toBe(callCost);
      expect(agent.memory.members.get(member.address as Address)?.quotaUsed).toBe(callCost);
      expect(BigInt(done!.quota.used)).toBe(callCost);
      expect(agent.memory.calls.spendSince({ since: 0, member: member.address })).toBe(callCost);
      // … the provider's ledger, over its API:
      const reported = (await (await fetch(`${provider.node.origin}/y2c/channels/${channelId}`)).json()) as { spent: string; authorized: string; reserved: string };
      expect(BigInt(reported.spent)).toBe(callCost);
      expect(BigInt(reported.authorized)).toBe(vouchers.authorized);
      expect(reported.reserved).toBe('0');

      // The provider redeems; the chain holds exactly what was spent.
      await provider.node.settler.settle([channelId]);
      const onChain = await publicClient.readContract({ address: deployment.computeMarket, abi: computeMarketAbi, functionName: 'getChannel', args: [channelId] });
      expect(onChain.redeemed).toBe(callCost);

      // The agent's settle check audits it and its memory agrees; the ledger's amounts match the chain.
      expect(await agent.scheduler.jobs.settle?.tick()).toBe('ran');
      const settleRun = agent.memory.jobRuns.lastRun('settle');
      expect(settleRun?.ok).toBe(true);
      expect(settleRun?.details).toMatchObject({ anomalies: 0 });
      const remembered = agent.memory.channels.get(channelId)!;
      expect(remembered.spent).toBe(callCost);
      expect(remembered.redeemed).toBe(callCost);
      expect(opened?.amount).toBe(onChain.deposit);
      expect(remembered.deposit).toBe(onChain.deposit);
      const tbaAfter = await publicClient.readContract({ address: deployment.usdx, abi: usdxAbi, functionName: 'balanceOf', args: [tba] });
      const deposits = agent.memory.ledger
        .listRecent(100)
        .filter((entry) => entry.status === 'confirmed' && (entry.kind === 'open_channel' || entry.kind === 'top_up'))
        .reduce((sum, entry) => sum + (entry.amount ?? 0n), 0n);
      expect(tbaAfter).toBe(tbaBefore + harvest!.amount! - deposits);
      const treasury = (await (await fetch(`${agent.chatUrl}/api/treasury`)).json()) as { computeSpent: string };
      expect(BigInt(treasury.computeSpent)).toBe(callCost);
    }
  });

  it('the CLI reads the same books: `y2c ledger --json` lists the daemon\'s actions, `y2c chat -m` gets a paid, charged answer', async () => {
    if (!agent) throw new Error('the whole cycle did not start the agent');
    const env = { Y2C_DATA_DIR: world.dir, Y2C_RPC_URL: world.devnet.anvil.rpcUrl };
    const listed = await runCli(['ledger', '--json', '--limit', '50'], env);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const entries = JSON.parse(listed.stdout) as Array<{ id: number; kind: string; status: string; amount?: string }>;
    const own = agent.memory.ledger.listRecent(50);
    // --json amounts are decimal strings in the token (issue 11 item 8; they were raw units).
    expect(entries.map((entry) => [entry.id, entry.kind, entry.status, entry.amount])).toEqual(
      own.map((entry) => [entry.id, entry.kind, entry.status, entry.amount === undefined ? undefined : formatUnits(entry.amount, 6)]),
    );
    expect(entries.some((entry) => entry.kind === 'harvest')).toBe(true);

    const asker = devAccount(devRoles.firstStaker + 1).account;
    push({ content: 'Paid for by your yield.', chunkDelayMs: 2 });
    const chatted = await runCli(['chat', '--url', agent.chatUrl, '--dev-account', String(devRoles.firstStaker + 1), '-m', 'Are you paid for?', '--json'], env);
    expect(chatted.stderr).toBe('');
    expect(chatted.code).toBe(0);
    // The reply's cost in the token (issue 11 item 8: decimals in --json; it was costUnits in raw units).
    const result = JSON.parse(chatted.stdout) as { address: string; replies: number; cost: string; text: string };
    expect(result).toMatchObject({ address: asker.address, replies: 1, text: 'Paid for by your yield.' });
    expect(parseUnits(result.cost, 6)).toBeGreaterThan(0n);
    expect(agent.memory.members.get(asker.address)?.quotaUsed).toBe(parseUnits(result.cost, 6));
  });

  it('concurrent replies are each charged their own calls, and together exactly what the vouchers spent', async () => {
    if (!agent) throw new Error('the whole cycle did not start the agent');
    const payingStore = agent.payingStore;
    {
      const spentBefore = payingStore.channels().reduce((sum, channel) => sum + channel.spent, 0n);
      const [a, b] = [devAccount(devRoles.firstStaker + 2).account, devAccount(devRoles.firstStaker + 3).account];
      const quotaBefore = (address: Address) => agent!.memory.members.get(address)?.quotaUsed ?? 0n;
      const [aBefore, bBefore] = [quotaBefore(a.address), quotaBefore(b.address)];
      const [tokenA, tokenB] = await Promise.all([signIn(agent.chatUrl, a), signIn(agent.chatUrl, b)]);
      const [replyA, replyB] = await Promise.all([
        chatSse(agent.chatUrl, tokenA, { content: 'long: tell me everything' }),
        chatSse(agent.chatUrl, tokenB, { content: 'short: and briefly?' }),
      ]);
      const costOf = (reply: typeof replyA) => BigInt(String(reply.events.find((event) => event.event === 'done')?.data.costUnits ?? '-1'));
      const [costA, costB] = [costOf(replyA), costOf(replyB)];
      expect(costA).toBeGreaterThan(costB);
      expect(costB).toBeGreaterThan(0n);
      expect(quotaBefore(a.address) - aBefore).toBe(costA);
      expect(quotaBefore(b.address) - bBefore).toBe(costB);
      const spentAfter = payingStore.channels().reduce((sum, channel) => sum + channel.spent, 0n);
      expect(spentAfter - spentBefore).toBe(costA + costB);
    }
  });
});
