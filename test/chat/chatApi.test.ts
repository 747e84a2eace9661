import { createWalletClient, http, parseUnits, type LocalAccount } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { unstake } from '../../chain/vault/unstake.js';
import { chatSse, openSocket, siweFor, signIn, verify } from './chatClient.js';
import { demoStaker, startChatWorld, type ChatWorld } from './startChatWorld.js';

let world: ChatWorld;
let url: string;
const staker = (i: 0 | 1 | 2) => demoStaker(i).account as unknown as LocalAccount;
const outsider = devAccount(8).account as unknown as LocalAccount;

beforeAll(async () => {
  world = await startChatWorld();
  url = world.server.url;
});

afterAll(async () => {
  await world?.stop();
});

const computeBalance = (account: LocalAccount) =>
  world.devnet.publicClient.readContract({ address: world.devnet.deployment.agent.vault, abi: yieldVaultAbi, functionName: 'computeBalanceOf', args: [account.address] });

describe('a holder chats', () => {
  it('gets a streamed reply over WebSocket, paid through the provider with a voucher, charged to their quota', async () => {
    const member = staker(0);
    expect(await computeBalance(member)).toBeGreaterThan(0n);
    const token = await signIn(url, member);
    const spentBefore = await world.providerSpent();
    const chargesBefore = (await world.provider.store.charges(world.channelId)).length;
    const socket = await openSocket(url);
    socket.send({ type: 'auth', token });
    expect((await socket.until((f) => f.type === 'ready')).at(-1)).toMatchObject({ type: 'ready', address: member.address });
    socket.send({ type: 'message', id: 'm1', content: 'hello agent' });
    const frames = await socket.until((f) => f.type === 'done' || f.type === 'error');
    socket.close();
    const tokens = frames.filter((f) => f.type === 'token');
    const done = frames.at(-1)!;
    expect(done.type).toBe('done');
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.map((f) => f.text).join('')).toBe('You said: hello agent. Yield pays for this reply.');
    expect(frames[0]).toMatchObject({ type: 'start', id: 'm1' });

    const cost = BigInt(done.costUnits as string);
    expect(cost).toBeGreaterThan(0n);
    expect(await world.providerSpent()).toBe(spentBefore + cost);
    expect((await world.provider.store.charges(world.channelId)).length).toBe(chargesBefore + 1);
    expect(world.payingStore.getChannel(world.channelId)?.authorized).toBeGreaterThanOrEqual(spentBefore + cost);
    expect(world.memory.members.get(member.address)?.quotaUsed).toBe(cost);
    const history = world.memory.conversations.recentMessages(done.conversationId as number);
    expect(history.map((m) => [m.role, m.content])).toEqual([
      ['user', 'hello agent'],
      ['assistant', 'You said: hello agent. Yield pays for this reply.'],
    ]);
    expect(history[1]?.cost).toBe(cost);
  });

  it('streams over SSE and keeps the conversation history for the model', async () => {
    const member = staker(0);
    const token = await signIn(url, member);
    const first = await chatSse(url, token, { content: 'first question' });
    expect(first.status).toBe(200);
    const done = first.events.at(-1)!;
    expect(done.event).toBe('done');
    expect(first.events.filter((e) => e.event === 'token').length).toBeGreaterThan(3);
    const conversationId = done.data.conversationId as number;
    const second = await chatSse(url, token, { content: 'second question', conversationId });
    expect(second.events.at(-1)?.event).toBe('done');
    const request = world.model.requests.at(-1)!;
    expect(request.messages.map((m) => m.content)).toEqual([
      'You are y2c.',
      'first question',
      'You said: first question. Yield pays for this reply.',
      'second question',
    ]);
    const list = (await (await fetch(`${url}/api/conversations/${conversationId}/messages`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      messages: unknown[];
    };
    expect(list.messages).toHaveLength(4);
    // Another member cannot read it.
    const other = await signIn(url, staker(1));
    expect((await fetch(`${url}/api/conversations/${conversationId}/messages`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(404);
  });
});

describe('sign-in refusals (401)', () => {
  const refused = async (body: { message: string; signature: string }, pattern: RegExp) => {
    const { status, body: answer } = await verify(url, body);
    expect(status).toBe(401);
    expect(answer.error?.code).toBe('sign_in_failed');
    expect(answer.error?.message).toMatch(pattern);
  };

  it('refuses a reused nonce', async () => {
    const signed = await siweFor(url, staker(0));
    expect((await verify(url, signed)).status).toBe(200);
    await refused(signed, /nonce/);
  });

  it('refuses a nonce it never issued', async () => {
    await refused(await siweFor(url, staker(0), { nonce: 'abcdefgh12345678' }), /nonce/);
  });

  it('refuses a foreign domain and a foreign URI', async () => {
    await refused(await siweFor(url, staker(0), { domain: 'evil.example' }), /made for evil\.example/);
    await refused(await siweFor(url, staker(0), { uri: 'https://evil.example/login' }), /URI/);
  });

  it('refuses the wrong chain, and the failure does not consume the nonce', async () => {
    const wrong = await siweFor(url, staker(0), { chainId: 1 });
    await refused(wrong, /chain 1/);
    const { createSiweMessage, parseSiweMessage } = await import('viem/siwe');
    const message = createSiweMessage({ ...(parseSiweMessage(wrong.message) as Parameters<typeof createSiweMessage>[0]), chainId: world.devnet.anvil.chainId });
    expect((await verify(url, { message, signature: await staker(0).signMessage({ message }) })).status).toBe(200);
    await refused({ message, signature: await staker(0).signMessage({ message }) }, /nonce/);
  });

  it('refuses an expired message, one without expiry, and one issued long ago or in the future', async () => {
    const now = Date.now();
    await refused(await siweFor(url, staker(0), { issuedAt: new Date(now - 120_000), expirationTime: new Date(now - 60_000) }), /expired/);
    await refused(await siweFor(url, staker(0), { expirationTime: undefined }), /expiration/);
    await refused(await siweFor(url, staker(0), { issuedAt: new Date(now - 3_600_000), expirationTime: new Date(now + 60_000) }), /too long ago/);
    await refused(await siweFor(url, staker(0), { issuedAt: new Date(now + 3_600_000), expirationTime: new Date(now + 7_200_000) }), /future/);
  });

  it('refuses a bad signature', async () => {
    const signed = await siweFor(url, staker(0));
    await refused({ message: signed.message, signature: await staker(1).signMessage({ message: signed.message }) }, /signature/);
  });

  it('refuses requests without a valid session', async () => {
    expect((await chatSse(url, undefined, { content: 'hi' })).status).toBe(401);
    expect((await chatSse(url, 'not-a-token', { content: 'hi' })).error?.code).toBe('unauthenticated');
    const socket = await openSocket(url);
    socket.send({ type: 'message', content: 'hi' });
    expect((await socket.until((f) => f.type === 'error')).at(-1)).toMatchObject({ status: 401 });
    socket.send({ type: 'auth', token: 'forged' });
    expect((await socket.until((f) => f.type === 'error')).at(-1)).toMatchObject({ status: 401 });
    socket.close();
  });
});

describe('pass, quota and limits', () => {
  it('refuses a non-holder at sign-in (403), so they never get a session for HTTP or WebSocket', async () => {
    // Issue 10 item 13: the pass is checked at sign-in too (it used to issue them a session).
    const { status, body } = await verify(url, await siweFor(url, outsider));
    expect(status).toBe(403);
    expect(body.error).toMatchObject({ code: 'no_pass', pass: { kind: 'stake', staked: '0' } });
    expect(body.token).toBeUndefined();
    expect(world.memory.conversations.listByMember(outsider.address)).toHaveLength(0);
  });

  it('refuses the next message once the pass has moved away mid-session (403)', async () => {
    const member = staker(1);
    const token = await signIn(url, member);
    const socket = await openSocket(url);
    socket.send({ type: 'auth', token });
    await socket.until((f) => f.type === 'ready');
    socket.send({ type: 'message', content: 'before' });
    expect((await socket.until((f) => f.type === 'done' || f.type === 'error')).at(-1)?.type).toBe('done');

    await world.warp(8 * 86_400);
    const walletClient = createWalletClient({ chain: { ...foundry, id: world.devnet.anvil.chainId }, transport: http(world.rpcUrl), account: demoStaker(1).account });
    await unstake({ publicClient: world.devnet.publicClient, walletClient }, { vault: world.devnet.deployment.agent.vault, amount: parseUnits('2500', 6) });

    socket.send({ type: 'message', content: 'after' });
    const refusal = (await socket.until((f) => f.type === 'error')).at(-1)!;
    expect(refusal).toMatchObject({ status: 403, error: { code: 'no_pass' } });
    socket.close();
  });

  it('refuses a member whose quota is used up (429) and says how much more stake restores it', async () => {
    const member = staker(2);
    const token = await signIn(url, member);
    const balance = await computeBalance(member);
    world.memory.members.addQuotaUsed(member.address, balance + 5_000n);
    const answer = await chatSse(url, token, { content: 'one more please' });
    expect(answer.status).toBe(429);
    expect(answer.error?.code).toBe('quota_exhausted');
    const restore = answer.error?.restore as { shortfall: string; additionalStake: string; withinSeconds: number; aprBps: number; hint: string };
    expect(restore.aprBps).toBe(500);
    const shortfall = BigInt(restore.shortfall);
    expect(shortfall).toBeGreaterThan(5_000n);
    // The extra stake earns the shortfall within the horizon at the APR, and not much less would.
    const earned = (stakeAmount: bigint) => (stakeAmount * 500n * BigInt(restore.withinSeconds)) / (365n * 86_400n * 10_000n);
    const extra = BigInt(restore.additionalStake);
    expect(earned(extra)).toBeGreaterThanOrEqual(shortfall - 1n);
    expect(earned((extra * 99n) / 100n)).toBeLessThan(shortfall);
    expect(restore.hint).toMatch(/Staking [\d.]+ more would earn it back within 24 h at 5% APR/);
  });

  it('refuses oversized and malformed requests (400)', async () => {
    const token = await signIn(url, staker(0));
    expect((await chatSse(url, token, { content: 'x'.repeat(4001) })).error).toMatchObject({ code: 'bad_request' });
    expect((await chatSse(url, token, '{"content": ')).status).toBe(400);
    expect((await chatSse(url, token, { content: 42 })).status).toBe(400);
    expect((await chatSse(url, token, { content: 'hi', conversationId: -1 })).status).toBe(400);
    expect((await chatSse(url, token, { content: 'y'.repeat(70_000) })).status).toBe(400);
    expect((await verify(url, { message: 'not siwe at all', signature: '0x00' })).status).toBe(400);
    const socket = await openSocket(url);
    socket.send('{oops');
    expect((await socket.until((f) => f.type === 'error')).at(-1)).toMatchObject({ status: 400 });
    socket.send({ type: 'auth', token });
    await socket.until((f) => f.type === 'ready');
    socket.send({ type: 'message', content: '' });
    expect((await socket.until((f) => f.type === 'error')).at(-1)).toMatchObject({ status: 400 });
    socket.close();
  });

  it('rate-limits per member and per network address (429)', async () => {
    const limited = await world.serve({ limits: { member: { capacity: 1, refillPerSecond: 0.001 }, network: { capacity: 8, refillPerSecond: 0.001 } } });
    const token = await signIn(limited.url, staker(0));
    expect((await chatSse(limited.url, token, { content: 'one' })).status).toBe(200);
    const second = await chatSse(limited.url, token, { content: 'two' });
    expect(second.status).toBe(429);
    expect(second.error?.code).toBe('rate_limited');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(`${limited.url}/api/siwe/nonce`)).status);
    expect(statuses).toContain(429);
  });

  it('with an ERC-721 pass, admits the holder of the agent NFT and refuses others', async () => {
    const nftServer = await world.serve({ pass: { kind: 'erc721', token: world.devnet.deployment.agentNft } });
    const owner = devAccount(devRoles.owner).account as unknown as LocalAccount;
    const ownerToken = await signIn(nftServer.url, owner);
    // The owner holds the pass but stakes nothing, so no quota: past the pass check, refused at the quota.
    expect((await chatSse(nftServer.url, ownerToken, { content: 'hi' })).error?.code).toBe('quota_exhausted');
    // A staker without the NFT is refused at sign-in (issue 10 item 13: the pass is checked there too).
    expect((await verify(nftServer.url, await siweFor(nftServer.url, staker(0)))).body.error).toMatchObject({ code: 'no_pass', pass: { kind: 'erc721' } });
  });
});

describe('treasury', () => {
  it('reports the vault figures the chain reports and the compute bought and spent', async () => {
    const t = (await (await fetch(`${url}/api/treasury`)).json()) as Record<string, unknown>;
    const read = (functionName: 'totalValue' | 'stakerCount' | 'totalHarvested' | 'totalPrincipal') =>
      world.devnet.publicClient.readContract({ address: world.devnet.deployment.agent.vault, abi: yieldVaultAbi, functionName });
    expect(BigInt(t.tvl as string)).toBe(await read('totalValue'));
    expect(t.stakers).toBe(Number(await read('stakerCount')));
    expect(BigInt(t.yieldHarvested as string)).toBe(await read('totalHarvested'));
    expect(t.computeBought).toBe(parseUnits('5', 6).toString());
    expect(BigInt(t.computeSpent as string)).toBe(await world.providerSpent());
    expect((t.providers as Array<{ provider: string }>)[0]?.provider).toBe(world.provider.address);
  });
});

describe('wiring from config', () => {
  it('reads the APR from the vault source, falls back when the source has none, and maps the config', async () => {
    const { readSourceAprBps } = await import('../../agent/chat/readSourceAprBps.js');
    const { chatServerParametersFromConfig } = await import('../../agent/chat/chatServerParametersFromConfig.js');
    const { loadConfig } = await import('../../config/loadConfig.js');
    const client = world.devnet.publicClient;
    expect(await readSourceAprBps({ client, vault: world.devnet.deployment.agent.vault, fallbackBps: 123 })).toBe(500);
    expect(await readSourceAprBps({ client, vault: world.devnet.deployment.usdx, fallbackBps: 123 })).toBe(123);
    const config = loadConfig({ env: {}, cwd: world.dir, overrides: { network: 'local' } });
    const parameters = chatServerParametersFromConfig({
      config,
      client,
      deployment: world.devnet.deployment,
      memory: world.memory,
      responder: { respond: () => ({ tokens: (async function* () {})(), final: Promise.resolve({ costUnits: 0n }) }) },
      devnetRpcUrl: world.rpcUrl,
    });
    expect(parameters.vault).toBe(world.devnet.deployment.agent.vault);
    expect(parameters.port).toBe(0); // a free port by default (issue 11 item 3)
    expect(parameters.pass.kind).toBe('stake');
    expect(parameters.devnetRpcUrl).toBe(world.rpcUrl);
    expect(await parameters.aprBps()).toBe(500);
  });
});
