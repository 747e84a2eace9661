import { createWalletClient, http, parseUnits, type LocalAccount } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import type { CreateChatServerReturnType } from '../../agent/chat/createChatServer.js';
import { silentLogger } from '../../core/Logger.js';
import { createTelegramLinkMount } from '../../agent/telegram/createTelegramLinkMount.js';
import { createTelegramLinkStore } from '../../agent/telegram/createTelegramLinkStore.js';
import { startTelegramChannel, type StartTelegramChannelReturnType } from '../../agent/telegram/startTelegramChannel.js';
import { linkTelegram } from '../../cli/commands/linkTelegram.js';
import { signIn } from '../chat/chatClient.js';
import { demoStaker, startChatWorld, type ChatWorld } from '../chat/startChatWorld.js';
import { runCli } from '../fixtures/runCli.js';
import { startTelegramStandIn } from '../fixtures/startTelegramStandIn.js';

const bot = '123456:TEST-TOKEN';
const strictBot = '654321:STRICT-TOKEN';
const group = -100777;
let world: ChatWorld;
let server: CreateChatServerReturnType;
let standIn: Awaited<ReturnType<typeof startTelegramStandIn>>;
const channels: StartTelegramChannelReturnType[] = [];
const staker = (i: 0 | 1 | 2) => demoStaker(i).account as unknown as LocalAccount;
const used = (account: LocalAccount) => world.memory.members.get(account.address)?.quotaUsed ?? 0n;

beforeAll(async () => {
  world = await startChatWorld();
  standIn = await startTelegramStandIn({ [bot]: 'y2c_test_bot', [strictBot]: 'y2c_strict_bot' });
  const links = createTelegramLinkStore({ db: world.memory.db });
  server = await world.serve({ mounts: [createTelegramLinkMount({ links, botUsername: () => 'y2c_test_bot' })] });
  channels.push(await startTelegramChannel({ botToken: bot, apiRoot: standIn.apiRoot, allowedGroups: [group], editIntervalMs: 50, chat: server.chat, links, log: silentLogger }));
  // The same links, on a server whose pass no demo staker meets.
  const strict = await world.serve({ pass: { kind: 'stake', minStake: parseUnits('1000000', 6) } });
  channels.push(await startTelegramChannel({ botToken: strictBot, apiRoot: standIn.apiRoot, allowedGroups: [], editIntervalMs: 50, chat: strict.chat, links, log: silentLogger }));
});

afterAll(async () => {
  for (const channel of channels) await channel.stop();
  await standIn?.stop();
  await world?.stop();
});

/** The latest text of the first message the bot sent after `count` messages, once it satisfies `done`. */
const replyAfter = (token: string, count: number, done: (text: string) => boolean = () => true) =>
  standIn.waitFor(token, (sent) => {
    const entry = sent[count];
    return entry && done(entry.message.text) ? entry : undefined;
  });
/** Runs `act` and checks nothing reached the provider and nothing was charged. */
const nothingCharged = async (account: LocalAccount, act: () => Promise<unknown>) => {
  const spent = await world.providerSpent();
  const requests = world.model.requests.length;
  const before = used(account);
  await act();
  expect(await world.providerSpent()).toBe(spent);
  expect(world.model.requests.length).toBe(requests);
  expect(used(account)).toBe(before);
};
const linkCode = async (account: LocalAccount) => {
  const response = await fetch(`${server.url}/api/telegram/link`, { method: 'POST', headers: { authorization: `Bearer ${await signIn(server.url, account)}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as { code: string; command: string; bot: string };
};

describe('the Telegram channel against a Bot API stand-in', () => {
  it('polls with getMe and getUpdates, and tells an unlinked user how to link, spending nothing', async () => {
    expect(standIn.calls(bot).slice(0, 1)).toEqual(['getMe']);
    expect(standIn.calls(bot)).toContain('getUpdates');
    await nothingCharged(staker(0), async () => {
      const count = standIn.sent(bot).length;
      standIn.push(bot, { chatId: 501, userId: 501, text: 'hello?' });
      expect((await replyAfter(bot, count)).message.text).toMatch(/Link your Telegram account first/);
    });
  });

  it('links with a one-time code from a SIWE session; the code works once', async () => {
    const link = await linkCode(staker(0));
    expect(link.command).toBe(`/link ${link.code}`);
    expect(link.bot).toBe('@y2c_test_bot');
    // Without a session there is no code.
    expect((await fetch(`${server.url}/api/telegram/link`, { method: 'POST' })).status).toBe(401);
    let count = standIn.sent(bot).length;
    standIn.push(bot, { chatId: 501, userId: 501, text: link.command });
    expect((await replyAfter(bot, count)).message.text).toBe(`Linked to ${staker(0).address}. Ask me anything: replies are paid from your compute quota.`);
    count = standIn.sent(bot).length;
    standIn.push(bot, { chatId: 502, userId: 502, text: link.command });
    expect((await replyAfter(bot, count)).message.text).toMatch(/unknown, used or expired/);
  });

  it('`y2c chat --link` prints a code the bot accepts', { timeout: 90_000 }, async () => {
    const result = await runCli(['chat', '--link', '--url', server.url, '--dev-account', '6', '--json'], { Y2C_DATA_DIR: world.dir, Y2C_RPC_URL: world.rpcUrl });
    expect(result.code, result.stderr).toBe(0);
    const link = JSON.parse(result.stdout) as { command: string; address: string; bot: string };
    expect(link).toMatchObject({ address: staker(2).address, bot: '@y2c_test_bot' });
    const count = standIn.sent(bot).length;
    standIn.push(bot, { chatId: 801, userId: 801, text: link.command });
    expect((await replyAfter(bot, count)).message.text).toMatch(new RegExp(`^Linked to ${staker(2).address}`));
  });

  it('a code posted in a group is burnt: someone who copies it from the group cannot link to the member', async () => {
    const link = await linkCode(staker(2));
    let count = standIn.sent(bot).length;
    standIn.push(bot, { chatId: group, chatType: 'group', userId: 701, text: link.command });
    expect((await replyAfter(bot, count)).message.text).toMatch(/private chat.*burnt/);
    // An onlooker in the group tries it in a private chat.
    count = standIn.sent(bot).length;
    standIn.push(bot, { chatId: 702, userId: 702, text: link.command });
    expect((await replyAfter(bot, count)).message.text).toMatch(/unknown, used or expired/);
    count = standIn.sent(bot).length;
    standIn.push(bot, { chatId: 702, userId: 702, text: 'spend their quota' });
    expect((await replyAfter(bot, count)).message.text).toMatch(/Link your Telegram account first/);
  });

  it('answers a linked private chat by streaming edits, charged exactly as the web chat', async () => {
    const member = staker(0);
    const spentBefore = await world.providerSpent();
    const usedBefore = used(member);
    const count = standIn.sent(bot).length;
    standIn.push(bot, { chatId: 501, userId: 501, text: 'slowly tell me about yield' });
    const reply = 'You said: slowly tell me about yield. Yield pays for this reply.';
    const entry = await replyAfter(bot, count, (text) => text === reply);
    // A placeholder, then growing partial texts, then the whole reply.
    expect(entry.texts[0]).toBe('…');
    expect(entry.texts.length).toBeGreaterThan(2);
    expect(entry.texts.slice(1, -1).every((text) => text.endsWith(' …') && reply.startsWith(text.slice(0, -2)))).toBe(true);
    expect(entry.message.reply_to).toBeDefined();
    await standIn.waitFor(bot, () => (used(member) > usedBefore ? true : undefined));
    const cost = used(member) - usedBefore;
    expect(cost).toBeGreaterThan(0n);
    expect(await world.providerSpent()).toBe(spentBefore + cost);
    const [conversation] = world.memory.conversations.listByMember(member.address).filter((c) => c.title?.startsWith('slowly tell me'));
    expect(world.memory.conversations.recentMessages(conversation!.id).map((m) => [m.role, m.content, m.cost])).toEqual([
      ['user', 'slowly tell me about yield', 0n],
      ['assistant', reply, cost],
    ]);
  });

  it('answers /ask and mentions in an allowed group only', async () => {
    let count = standIn.sent(bot).length;
    standIn.push(bot, { chatId: group, chatType: 'group', userId: 501, text: 'chatter without a mention' });
    standIn.push(bot, { chatId: -100888, chatType: 'group', userId: 501, text: '/ask in a group that is not allowed' });
    standIn.push(bot, { chatId: group, chatType: 'group', userId: 501, text: '/ask what is the runway' });
    const answered = await replyAfter(bot, count, (text) => text !== '…' && !text.endsWith(' …'));
    expect(answered.message.chat.id).toBe(group);
    expect(answered.message.text).toBe('You said: what is the runway. Yield pays for this reply.');
    count = standIn.sent(bot).length;
    standIn.push(bot, { chatId: group, chatType: 'group', userId: 501, text: '@y2c_test_bot and you?' });
    expect((await replyAfter(bot, count, (text) => text.endsWith('reply.'))).message.text).toBe('You said: and you?. Yield pays for this reply.');
    // Nothing was ever sent to the group that is not allowed, nor for the unmentioned chatter.
    expect(standIn.sent(bot).filter((s) => s.message.chat.id === -100888)).toEqual([]);
    expect(standIn.sent(bot).filter((s) => s.texts.some((t) => t.includes('chatter')))).toEqual([]);
  });

  it('refuses a member without the pass and one over quota, charging nothing', async () => {
    const member = staker(1);
    const link = await linkTelegram({
      url: server.url,
      walletClient: createWalletClient({ chain: { ...foundry, id: world.devnet.anvil.chainId }, transport: http(world.rpcUrl), account: demoStaker(1).account }),
    });
    let count = standIn.sent(bot).length;
    standIn.push(bot, { chatId: 601, userId: 601, text: `/link ${link.code}` });
    expect((await replyAfter(bot, count)).message.text).toMatch(new RegExp(`Linked to ${member.address}`));
    await nothingCharged(member, async () => {
      const strictCount = standIn.sent(strictBot).length;
      standIn.push(strictBot, { chatId: 601, userId: 601, text: 'am I in?' });
      expect((await replyAfter(strictBot, strictCount)).message.text).toMatch(/^⚠ .*(stake|pass)/i);
    });
    const balance = await world.devnet.publicClient.readContract({ address: world.devnet.deployment.agent.vault, abi: yieldVaultAbi, functionName: 'computeBalanceOf', args: [member.address] });
    world.memory.members.addQuotaUsed(member.address, balance - used(member));
    await nothingCharged(member, async () => {
      count = standIn.sent(bot).length;
      standIn.push(bot, { chatId: 601, userId: 601, text: 'one more please' });
      expect((await replyAfter(bot, count)).message.text).toMatch(/^⚠ .*Staking [\d.]+ more would earn it back/);
    });
  });
});
