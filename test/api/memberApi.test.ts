import OpenAI from 'openai';
import { parseUnits, type LocalAccount } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { createMemberApi } from '../../agent/api/createMemberApi.js';
import type { CreateChatServerReturnType } from '../../agent/chat/createChatServer.js';
import { signIn } from '../chat/chatClient.js';
import { demoStaker, startChatWorld, type ChatWorld } from '../chat/startChatWorld.js';

let world: ChatWorld;
let server: CreateChatServerReturnType;
const staker = (i: 0 | 1 | 2) => demoStaker(i).account as unknown as LocalAccount;

beforeAll(async () => {
  world = await startChatWorld();
  const mount = createMemberApi({
    providers: async () => [{ address: world.provider.address, baseUrl: world.provider.url, model: 'y2c-chat' }],
    fetch: world.payingFetch,
    meter: world.meter,
  });
  server = await world.serve({ mounts: [mount] });
});

afterAll(async () => {
  await world?.stop();
});

const openai = (apiKey: string) => new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 });
const used = (account: LocalAccount) => world.memory.members.get(account.address)?.quotaUsed ?? 0n;
const balance = (account: LocalAccount) =>
  world.devnet.publicClient.readContract({ address: world.devnet.deployment.agent.vault, abi: yieldVaultAbi, functionName: 'computeBalanceOf', args: [account.address] });
const mintKey = async (token: string, label = 'laptop') => {
  const response = await fetch(`${server.url}/api/keys`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ label }) });
  return { status: response.status, body: (await response.json()) as { key: string; id: string; label: string; error?: { code: string } } };
};
/** Runs `refused` and checks nothing reached the provider and nothing was charged. */
const nothingCharged = async (account: LocalAccount, refused: () => Promise<unknown>) => {
  const spent = await world.providerSpent();
  const charges = (await world.provider.store.charges(world.channelId)).length;
  const requests = world.model.requests.length;
  const before = used(account);
  await refused();
  expect(await world.providerSpent()).toBe(spent);
  expect((await world.provider.store.charges(world.channelId)).length).toBe(charges);
  expect(world.model.requests.length).toBe(requests);
  expect(used(account)).toBe(before);
};

describe('the member API with the official openai client', () => {
  it('lists the trusted providers\' models', async () => {
    const token = await signIn(server.url, staker(0));
    const models = await openai(token).models.list();
    expect(models.data.map((model) => [model.id, model.owned_by])).toEqual([['y2c-chat', world.provider.address]]);
  });

  it('answers a non-streamed completion with a session token and charges the member exactly what the provider was paid', async () => {
    const member = staker(0);
    const token = await signIn(server.url, member);
    const spentBefore = await world.providerSpent();
    const usedBefore = used(member);
    const { data, response } = await openai(token)
      .chat.completions.create({ model: 'y2c-chat', messages: [{ role: 'user', content: 'hello api' }], max_tokens: 32 })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('You said: hello api. Yield pays for this reply.');
    const cost = BigInt(response.headers.get('x-y2c-cost') ?? '-1');
    expect(cost).toBeGreaterThan(0n);
    expect(await world.providerSpent()).toBe(spentBefore + cost);
    expect(used(member)).toBe(usedBefore + cost);
    expect(BigInt(response.headers.get('x-y2c-quota-remaining') ?? '-1')).toBe((await balance(member)) - used(member));
    // The member's own messages go to the model as they sent them (no agent system prompt).
    expect(world.model.requests.at(-1)?.messages.map((m) => m.content)).toEqual(['hello api']);
  });

  it('streams with a minted API key, charged exactly, and the key is stored only hashed', async () => {
    const member = staker(1);
    const token = await signIn(server.url, member);
    const minted = await mintKey(token);
    expect(minted.status).toBe(201);
    expect(minted.body.key).toMatch(/^y2c_[A-Za-z0-9_-]{43}$/);
    const stored = JSON.stringify(world.memory.db.prepare('SELECT * FROM member_api_keys').all());
    expect(stored).not.toContain(minted.body.key);
    const spentBefore = await world.providerSpent();
    const usedBefore = used(member);
    const stream = await openai(minted.body.key).chat.completions.create({
      model: 'y2c-chat',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    for await (const chunk of stream) {
      const text = chunk.choices[0]?.delta.content;
      if (text) pieces.push(text);
    }
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toBe('You said: stream please. Yield pays for this reply.');
    const cost = (await world.providerSpent()) - spentBefore;
    expect(cost).toBeGreaterThan(0n);
    expect(used(member)).toBe(usedBefore + cost);
    const listed = (await (await fetch(`${server.url}/api/keys`, { headers: { authorization: `Bearer ${token}` } })).json()) as { keys: Array<{ id: string; lastUsedAt: number | null }> };
    expect(listed.keys).toEqual([expect.objectContaining({ id: minted.body.id, label: 'laptop' })]);
    expect(listed.keys[0]?.lastUsedAt).not.toBeNull();
  });
});

describe('refusals: clear errors, nothing charged', () => {
  it('refuses no key and an unknown key (401)', async () => {
    await nothingCharged(staker(0), async () => {
      const bare = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'y2c-chat', messages: [{ role: 'user', content: 'x' }] }) });
      expect(bare.status).toBe(401);
      expect(((await bare.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
      await expect(openai('y2c_not-a-key').chat.completions.create({ model: 'y2c-chat', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    });
  });

  it('refuses a revoked key (401), and a key cannot mint or revoke keys', async () => {
    const member = staker(1);
    const token = await signIn(server.url, member);
    const { body } = await mintKey(token, 'to revoke');
    expect((await openai(body.key).models.list()).data).toHaveLength(1);
    const withKey = await fetch(`${server.url}/api/keys`, { method: 'POST', headers: { authorization: `Bearer ${body.key}`, 'content-type': 'application/json' }, body: '{}' });
    expect(withKey.status).toBe(401);
    const revoked = await fetch(`${server.url}/api/keys/${body.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(revoked.status).toBe(200);
    // Another member cannot revoke it (404), whatever the id.
    const other = await signIn(server.url, staker(0));
    expect((await fetch(`${server.url}/api/keys/${body.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${other}` } })).status).toBe(404);
    await nothingCharged(member, async () => {
      const error = await openai(body.key).chat.completions.create({ model: 'y2c-chat', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect((error as InstanceType<typeof OpenAI.AuthenticationError>).message).toMatch(/revoked/);
    });
  });

  it('refuses a member without the pass (403 no_pass)', async () => {
    const member = staker(0);
    const token = await signIn(server.url, member);
    const { body } = await mintKey(token, 'strict server');
    // Same memory, a pass this member does not meet.
    const strict = await world.serve({
      pass: { kind: 'stake', minStake: parseUnits('1000000', 6) },
      mounts: [createMemberApi({ providers: async () => [{ address: world.provider.address, baseUrl: world.provider.url, model: 'y2c-chat' }], fetch: world.payingFetch, meter: world.meter })],
    });
    await nothingCharged(member, async () => {
      const error = await new OpenAI({ baseURL: `${strict.url}/v1`, apiKey: body.key, maxRetries: 0 }).chat.completions.create({ model: 'y2c-chat', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect((error as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('no_pass');
    });
  });

  it('refuses over quota (429 with how to restore it), and a request that could cost more than what remains', async () => {
    const member = staker(2);
    const token = await signIn(server.url, member);
    const room = (await balance(member)) - used(member);
    // Leave 10 units: a 64-token completion may cost more than that, so it is refused before any call.
    world.memory.members.addQuotaUsed(member.address, room - 10n);
    await nothingCharged(member, async () => {
      const error = await openai(token).chat.completions.create({ model: 'y2c-chat', messages: [{ role: 'user', content: 'x' }], max_tokens: 64 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('quota_exhausted');
    });
    world.memory.members.addQuotaUsed(member.address, 10n);
    await nothingCharged(member, async () => {
      const error = await openai(token).chat.completions.create({ model: 'y2c-chat', messages: [{ role: 'user', content: 'x' }], stream: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      const body = (error as InstanceType<typeof OpenAI.RateLimitError>).error as { code: string; restore?: { additionalStake: string } };
      expect(body.code).toBe('quota_exhausted');
      expect(BigInt(body.restore?.additionalStake ?? '0')).toBeGreaterThan(0n);
    });
  });

  it('refuses bad bodies (400) and unknown models (404) before any provider call', async () => {
    const member = staker(0);
    const token = await signIn(server.url, member);
    const post = (body: string) => fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    await nothingCharged(member, async () => {
      for (const [body, pattern] of [
        ['{not json', /JSON/],
        [JSON.stringify({ model: 'y2c-chat' }), /messages/],
        [JSON.stringify({ model: 'y2c-chat', messages: [] }), /messages/],
        [JSON.stringify({ model: 'y2c-chat', messages: [{ role: 'user', content: 'x' }], n: 3 }), /\bn\b/],
        [JSON.stringify({ model: 'y2c-chat', messages: [{ role: 'user', content: 'x' }], logprobs: true }), /logprobs/],
        [JSON.stringify({ model: 'y2c-chat', messages: [{ role: 'wizard', content: 'x' }] }), /messages\.0/],
        [JSON.stringify({ model: 'y2c-chat', messages: [{ role: 'user', content: 'x' }], max_tokens: -5 }), /max_tokens/],
      ] as const) {
        const response = await post(body);
        expect(response.status, body).toBe(400);
        const error = ((await response.json()) as { error: { code: string; message: string } }).error;
        expect(error.code).toBe('bad_request');
        expect(error.message).toMatch(pattern);
      }
      const capped = await openai(token).chat.completions.create({ model: 'y2c-chat', messages: [{ role: 'user', content: 'x' }], max_tokens: 1_000_000 }).catch((e: unknown) => e);
      expect(capped).toBeInstanceOf(OpenAI.BadRequestError);
      expect((capped as Error).message).toMatch(/per-request cap/);
      const error = await openai(token).chat.completions.create({ model: 'gpt-nonexistent', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect((error as Error).message).toMatch(/gpt-nonexistent/);
    });
  });
});

describe('adversarial members', () => {
  const providerCharged = async () => (await world.provider.store.charges(world.channelId)).reduce((sum, charge) => sum + charge.cost, 0n);
  const settledAtProvider = async () => {
    for (let i = 0; i < 100 && (await world.provider.store.channel(world.channelId)).reserved !== 0n; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  it('a member who cuts a stream off (no stream_options) pays exactly what the provider charged', { timeout: 60_000 }, async () => {
    const member = staker(1);
    const token = await signIn(server.url, member);
    await settledAtProvider();
    const usedBefore = used(member);
    const chargedBefore = await providerCharged();
    const controller = new AbortController();
    const stream = await openai(token).chat.completions.create({ model: 'y2c-chat', messages: [{ role: 'user', content: 'slowly, and then I hang up' }], stream: true }, { signal: controller.signal });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break;
    }
    controller.abort();
    for (let i = 0; i < 200 && used(member) === usedBefore; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await settledAtProvider();
    const providerTook = (await providerCharged()) - chargedBefore;
    expect(providerTook).toBeGreaterThan(0n);
    expect(used(member) - usedBefore).toBe(providerTook);
  });

  it('concurrent requests cannot overdraw the quota: what is charged never passes what was earned', { timeout: 60_000 }, async () => {
    const member = staker(0);
    const token = await signIn(server.url, member);
    const earned = await balance(member);
    // Leave room for about one completion.
    world.memory.members.addQuotaUsed(member.address, earned - used(member) - 150n);
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        openai(token)
          .chat.completions.create({ model: 'y2c-chat', messages: [{ role: 'user', content: `race ${i}` }], max_tokens: 32 })
          .then(() => 'ok', (error: unknown) => (error instanceof OpenAI.APIError ? String(error.code ?? error.status) : 'other')),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'ok').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.filter((outcome) => outcome !== 'ok').every((outcome) => outcome === 'quota_exhausted' || outcome === 'rate_limited')).toBe(true);
    expect(used(member)).toBeLessThanOrEqual(earned);
  });
});
