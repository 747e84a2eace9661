import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startScriptedModel, type StartScriptedModelReturnType } from '../../test/fixtures/scriptedModel.js';
import { createPayingFetch } from './createPayingFetch.js';
import { createSqlitePayingStore } from './createSqlitePayingStore.js';
import { ProviderInfoError, UnpriceableRequestError } from './errors.js';

let model: StartScriptedModelReturnType;
beforeAll(async () => {
  model = await startScriptedModel();
});
afterAll(() => model.stop());

const payingFetch = () =>
  createPayingFetch({
    account: privateKeyToAccount(generatePrivateKey()),
    channel: () => Promise.reject(new Error('no channel should be needed')),
    caps: { perRequest: 1_000n, daily: 10_000n },
    store: createSqlitePayingStore({ path: ':memory:' }),
  });

describe('createPayingFetch', () => {
  it('passes requests other than chat completions through untouched', async () => {
    const response = await payingFetch()(`${model.url}/models`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: Array<{ id: string }> }).data[0]?.id).toBe('scripted');
  });

  it('refuses bodies it cannot price, and providers without /y2c/info, before signing anything', async () => {
    const fetch = payingFetch();
    await expect(fetch(`${model.url}/chat/completions`, { method: 'POST', body: new Uint8Array([1]) })).rejects.toBeInstanceOf(UnpriceableRequestError);
    await expect(fetch(`${model.url}/chat/completions`, { method: 'POST', body: '{nope' })).rejects.toBeInstanceOf(UnpriceableRequestError);
    const body = JSON.stringify({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }] });
    await expect(fetch(`${model.url}/chat/completions`, { method: 'POST', body })).rejects.toBeInstanceOf(ProviderInfoError);
    expect(model.requests).toHaveLength(0);
  });
});
