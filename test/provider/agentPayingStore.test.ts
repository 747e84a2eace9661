import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAgentMemory, type OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { createOpenAiBackend } from '../../provider/backends/createOpenAiBackend.js';
import { startProvider, type StartProviderReturnType } from '../../provider/startProvider.js';
import { createAgentPayingStore } from '../../tools/compute/createAgentPayingStore.js';
import { createPayingFetch } from '../../tools/compute/createPayingFetch.js';
import { startScriptedModel, type StartScriptedModelReturnType } from '../fixtures/scriptedModel.js';
import { startMarket, type StartMarketReturnType } from '../fixtures/startMarket.js';

const terms = { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, defaultMaxTokens: 64n };
let m: StartMarketReturnType;
let model: StartScriptedModelReturnType;
let node: StartProviderReturnType;
let memory: OpenAgentMemoryReturnType;
let dir: string;
let channelId: bigint;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'y2c-agent-paying-'));
  m = await startMarket();
  model = await startScriptedModel();
  node = await startProvider({
    client: m.provider,
    market: m.market,
    backend: createOpenAiBackend({ baseUrl: model.url, models: { scripted: 'scripted' } }),
    ...terms,
    databasePath: join(dir, 'provider.db'),
    settleIntervalMs: 3_600_000,
  });
  memory = openAgentMemory(join(dir, 'agent.db'));
  channelId = await m.openChannel({ provider: m.provider.account.address, amount: 1_000_000n });
  memory.channels.upsert({ channelId, provider: m.provider.account.address, signer: m.signer.address, deposit: 1_000_000n });
});

afterAll(async () => {
  await node?.stop({ settle: false });
  await model?.stop();
  await m?.stop();
  memory?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the agent paying store: one store, every paid call once', () => {
  it('keeps the channel in memory\'s row and journals a failed upstream call once, which lowers the provider\'s health', async () => {
    const store = createAgentPayingStore({ memory });
    const payingFetch = createPayingFetch({ account: m.signer, channel: async () => channelId, caps: { perRequest: 10_000n, daily: 1_000_000n }, store, market: m.market, chainId: m.chain.id });
    const client = new OpenAI({ baseURL: node.url, apiKey: 'unused', fetch: payingFetch, maxRetries: 0 });
    model.push({ content: 'a paid answer' });
    await client.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'one' }], max_tokens: 20 });
    const reported = BigInt(((await (await fetch(`${node.origin}/y2c/channels/${channelId}`)).json()) as { spent: string }).spent);
    // One row holds the channel: what the fetch signed and the provider reported is the channels table's.
    const row = memory.channels.get(channelId)!;
    expect(row.spent).toBe(reported);
    expect(row.authorized).toBeGreaterThanOrEqual(reported);
    expect(store.getChannel(channelId)).toMatchObject({ spent: row.spent, authorized: row.authorized });

    model.push({ status: 500 });
    await expect(client.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'two' }], max_tokens: 20 })).rejects.toThrow();
    const calls = memory.calls.ofChannel(channelId);
    expect(calls.map((call) => call.ok)).toEqual([true, false]);
    expect(calls[1]?.cost).toBe(0n);
    expect(calls[1]?.error).toMatch(/5\d\d/);
    // The treasury's provider-health gate reads these statistics.
    const [stats] = memory.calls.providerStats(0);
    expect(stats).toMatchObject({ provider: m.provider.account.address, calls: 2, failures: 1, successRate: 0.5 });
    expect(store.costSince(0)).toBe(calls[0]!.cost);
  });
});
