/**
 * The default world answers: `y2c up` with the real llama backend serving the tiny local model
 * (stories260K, 512-token context, no chat template, no tools). The provider advertises the model's
 * context and that it takes no tools; each demo staker's chat gets text the model generated, paid
 * by a voucher on the agent's channel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUp, type StartUpReturnType } from '../fixtures/startUp.js';
import { chatSse, signIn } from './chatClient.js';
import { demoStaker } from './startChatWorld.js';

const dataDir = mkdtempSync(join(tmpdir(), 'y2c-tiny-'));
let world: StartUpReturnType;

beforeAll(async () => {
  world = await startUp({ Y2C_DATA_DIR: dataDir });
});

afterAll(async () => {
  expect(await world?.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the default world with the tiny local model', () => {
  it('advertises the model’s context window and that it takes no tools', async () => {
    const provider = world.url('provider');
    const models = (await (await fetch(`${provider}/models`)).json()) as { data: Array<{ id: string; context_length?: number; supports_tools: boolean }> };
    expect(models.data).toEqual([expect.objectContaining({ id: 'y2c-chat', context_length: 512, supports_tools: false })]);
    const info = (await (await fetch(`${provider.replace(/\/v1$/, '')}/y2c/info`)).json()) as { modelInfo: Record<string, unknown> };
    expect(info.modelInfo).toEqual({ 'y2c-chat': { contextLength: 512, tools: false } });
  });

  it('answers every demo staker with text from the model, paid through the channel', async () => {
    const chatUrl = world.url('chat + page');
    for (const i of [0, 1, 2] as const) {
      const token = await signIn(chatUrl, demoStaker(i).account);
      // The first treasury run of a fresh world may still be opening the channel: ask again, as the reply says.
      let done: Record<string, unknown> | undefined;
      for (let attempt = 0; attempt < 20; attempt++) {
        const { status, events } = await chatSse(chatUrl, token, { content: 'Tell me a story about a little dog.' });
        expect(status).toBe(200);
        done = events.find((event) => event.event === 'done')?.data;
        if (done && !/out of compute/.test(String(done.text))) break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      const text = String(done?.text);
      expect(text.trim().length, world.output()).toBeGreaterThan(0);
      expect(text).not.toMatch(/can't think|out of compute/i);
      // Paid: the turn cost real token units, charged by the provider on a voucher of the agent's channel.
      expect(BigInt(String(done?.costUnits))).toBeGreaterThan(0n);
    }
    expect(world.output()).not.toMatch(/upstream_failed/);
  }, 600_000);
});
