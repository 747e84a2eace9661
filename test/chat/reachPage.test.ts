import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberApi } from '../../agent/api/createMemberApi.js';
import type { CreateChatServerReturnType } from '../../agent/chat/createChatServer.js';
import { silentLogger } from '../../core/Logger.js';
import { createTelegramLinkMount } from '../../agent/telegram/createTelegramLinkMount.js';
import { createTelegramLinkStore } from '../../agent/telegram/createTelegramLinkStore.js';
import { startTelegramChannel, type StartTelegramChannelReturnType } from '../../agent/telegram/startTelegramChannel.js';
import { buildWeb, webDist } from '../../agent/web/buildWeb.js';
import { findChromium } from '../fixtures/findChromium.js';
import { startTelegramStandIn } from '../fixtures/startTelegramStandIn.js';
import { demoStaker, startChatWorld, type ChatWorld } from './startChatWorld.js';

// The page's "use your quota elsewhere" panel in headless Chromium: mint an API key that the
// official openai client then uses, revoke it, and get a Telegram link code the bot accepts.

const botToken = '77:PAGE-TOKEN';
let world: ChatWorld;
let server: CreateChatServerReturnType;
let standIn: Awaited<ReturnType<typeof startTelegramStandIn>>;
let telegram: StartTelegramChannelReturnType;
let browser: BrowserContext;
let page: Page;
let profile: string;

beforeAll(async () => {
  await buildWeb();
  world = await startChatWorld({ webRoot: webDist });
  standIn = await startTelegramStandIn({ [botToken]: 'y2c_page_bot' });
  const links = createTelegramLinkStore({ db: world.memory.db });
  server = await world.serve({
    mounts: [
      createMemberApi({ providers: async () => [{ address: world.provider.address, baseUrl: world.provider.url, model: 'y2c-chat' }], fetch: world.payingFetch, meter: world.meter }),
      createTelegramLinkMount({ links, botUsername: () => 'y2c_page_bot' }),
    ],
  });
  telegram = await startTelegramChannel({ botToken, apiRoot: standIn.apiRoot, allowedGroups: [], editIntervalMs: 50, chat: server.chat, links, log: silentLogger });
  profile = mkdtempSync(join(tmpdir(), 'y2c-chromium-'));
  const found = await findChromium();
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: found.executablePath,
    headless: true,
    viewport: { width: 1200, height: 860 },
    locale: 'en-US',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...found.args],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
});

afterAll(async () => {
  await browser?.close();
  await telegram?.stop();
  await standIn?.stop();
  await world?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('the page panel for API keys and Telegram', () => {
  it('is hidden until sign-in, then mints a key the openai client can use, and revokes it', async () => {
    expect(await page.isHidden('#reach')).toBe(true);
    await page.selectOption('#dev-account', '4');
    await page.click('#dev-signin');
    await page.waitForSelector('#reach:not([hidden])');
    await page.click('#reach summary');
    expect(await page.textContent('#reach-base')).toBe(`${server.url}/v1`);
    await page.fill('#key-label', 'from the page');
    await page.click('#mint-key');
    await page.waitForSelector('#new-key:not([hidden])');
    const key = (await page.getAttribute('#new-key', 'data-key')) ?? '';
    expect(key).toMatch(/^y2c_/);
    await page.waitForSelector('#keys li');
    expect(await page.textContent('#keys li')).toMatch(/^from the page · y2c_/);

    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key, maxRetries: 0 });
    const completion = await openai.chat.completions.create({ model: 'y2c-chat', messages: [{ role: 'user', content: 'from my own tool' }], max_tokens: 32 });
    expect(completion.choices[0]?.message.content).toBe('You said: from my own tool. Yield pays for this reply.');

    await page.click('#keys li button');
    await page.waitForFunction(() => document.querySelectorAll('#keys li').length === 0);
    await expect(openai.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('gets a one-time Telegram code the bot links to this member', async () => {
    await page.click('#link-telegram');
    await page.waitForFunction(() => document.getElementById('telegram-code')?.dataset.command !== undefined);
    const command = (await page.getAttribute('#telegram-code', 'data-command')) ?? '';
    expect(await page.textContent('#telegram-code')).toContain('@y2c_page_bot');
    const count = standIn.sent(botToken).length;
    standIn.push(botToken, { chatId: 321, userId: 321, text: command });
    const reply = await standIn.waitFor(botToken, (sent) => sent[count]);
    expect(reply.message.text).toBe(`Linked to ${demoStaker(0).account.address}. Ask me anything: replies are paid from your compute quota.`);
    expect(await page.textContent('#reach-error')).toBe('');
  });
});
