import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createWalletClient, formatUnits, http, parseEventLogs } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { devAccount } from '../../devnet/devAccounts.js';
import { buildWeb, webDist } from '../../agent/web/buildWeb.js';
import { formatAmount } from '../../agent/web/src/format.js';
import { findChromium } from '../fixtures/findChromium.js';
import { demoStaker, startChatWorld, type ChatWorld } from './startChatWorld.js';

const artifacts = join(process.cwd(), 'test', 'artifacts');
let world: ChatWorld;
let browser: BrowserContext;
let page: Page;
let profile: string;

const shot = async (name: string) => {
  const path = join(artifacts, `chat-page-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  expect(statSync(path).size).toBeGreaterThan(10_000);
};

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  await buildWeb();
  world = await startChatWorld({ webRoot: webDist });
  // A real harvest, journaled as the agent's treasury job would, so the charts have a point.
  const harvester = createWalletClient({ chain: { ...foundry, id: world.devnet.anvil.chainId }, transport: http(world.rpcUrl), account: devAccount(9).account });
  const id = world.memory.ledger.recordIntent({ kind: 'harvest', reason: 'pending yield above 10× the gas cost' });
  const hash = await harvester.writeContract({ address: world.devnet.deployment.agent.vault, abi: yieldVaultAbi, functionName: 'harvest' });
  const receipt = await world.devnet.publicClient.waitForTransactionReceipt({ hash });
  const [harvested] = parseEventLogs({ abi: yieldVaultAbi, logs: receipt.logs, eventName: 'Harvested' });
  world.memory.ledger.markConfirmed(id, { txHash: hash, gasUsed: receipt.gasUsed, blockNumber: receipt.blockNumber, amount: harvested!.args.amount });

  profile = mkdtempSync(join(tmpdir(), 'y2c-chromium-'));
  // The npm-shipped Chromium first, a system one as fallback: nothing installed by hand.
  const found = await findChromium();
  // A fresh profile per run (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: found.executablePath,
    headless: true,
    viewport: { width: 1200, height: 860 },
    // A fixed locale: the npm Chromium takes it from the environment otherwise (`en-US@posix` under LANG=C breaks Intl).
    locale: 'en-US',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...found.args,
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(world.server.url);
  await page.waitForSelector('body[data-ready="true"]').catch((error: unknown) => {
    throw new Error(`the page never became ready (${found.source} Chromium at ${found.executablePath}): ${problems.join(' | ') || String(error)}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await world?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const readVault = (functionName: 'totalValue' | 'stakerCount' | 'totalHarvested') =>
  world.devnet.publicClient.readContract({ address: world.devnet.deployment.agent.vault, abi: yieldVaultAbi, functionName });

describe('the web page in Chromium', () => {
  it('signs in as a demo staker with the devnet picker and streams a paid reply', async () => {
    await shot('signin');
    await page.selectOption('#dev-account', '4');
    await page.click('#dev-signin');
    await page.waitForSelector('#chat:not([hidden])');
    expect(await page.getAttribute('#who', 'data-address')).toBe(demoStaker(0).account.address);

    // Count the reply's DOM updates: a streamed reply grows in many steps.
    await page.evaluate(() => {
      const w = window as unknown as { updates: number };
      w.updates = 0;
      new MutationObserver((records) => (w.updates += records.length)).observe(document.getElementById('messages')!, { childList: true, subtree: true, characterData: true });
    });
    const spentBefore = await world.providerSpent();
    await page.fill('#input', 'What pays for you?');
    await page.press('#input', 'Enter');
    const reply = page.locator('.bubble.assistant:not(.streaming)');
    await reply.waitFor();
    expect(await reply.textContent()).toBe('You said: What pays for you?. Yield pays for this reply.');
    expect(await page.evaluate(() => (window as unknown as { updates: number }).updates)).toBeGreaterThan(5);
    expect(await world.providerSpent()).toBeGreaterThan(spentBefore);
    await page.waitForFunction(() => document.getElementById('quota')?.dataset.remaining !== undefined);
    await shot('chat');
  });

  it('shows treasury figures equal to what the chain says, with charts', async () => {
    await page.click('[data-tab="treasury"]');
    await page.waitForSelector('[data-figure="tvl"]');
    await page.waitForSelector('#chart-flows .uplot');
    const raw = (key: string) => page.getAttribute(`[data-figure="${key}"]`, 'data-raw');
    const shown = (key: string) => page.textContent(`[data-figure="${key}"] .value`);
    const [tvl, stakers, harvested] = await Promise.all([readVault('totalValue'), readVault('stakerCount'), readVault('totalHarvested')]);
    expect(harvested).toBeGreaterThan(0n);
    expect(await raw('tvl')).toBe(tvl.toString());
    expect(await shown('tvl')).toBe(`${formatAmount(tvl, 6)} USDx`);
    expect(await raw('stakers')).toBe(stakers.toString());
    expect(await shown('stakers')).toBe('3');
    expect(await raw('yieldHarvested')).toBe(harvested.toString());
    expect(await shown('yieldHarvested')).toBe(`${formatAmount(harvested, 6)} USDx`);
    expect(await shown('computeBought')).toBe('5 USDx');
    expect(await page.locator('#providers tr').count()).toBe(1);
    expect(await page.textContent('#ledger')).toContain('pending yield above 10× the gas cost');
    await shot('treasury');
  });

  it('stakes and unstakes through the dev account with clear errors', async () => {
    await page.click('[data-tab="stake"]');
    await page.waitForSelector('#position[data-staked]');
    expect(await page.getAttribute('#position', 'data-staked')).toBe('1000000000');

    await page.fill('#stake-amount', '250');
    await page.click('button[data-action="stake"]');
    await page.waitForSelector('#stake-error[data-error="InsufficientBalanceError"]');
    expect(await page.textContent('#stake-error')).toMatch(/Not enough to stake: 250 asked, 0 held/);

    await page.click('[data-action="unstake"]');
    await page.waitForSelector('#stake-error[data-error="StakeLockedError"]');
    expect(await page.textContent('#stake-error')).toMatch(/locked until/);
    await shot('stake-errors');

    await page.click('#faucet');
    await page.waitForFunction(() => document.getElementById('stake-status')?.textContent === 'Getting test USDx: done.');
    await page.click('button[data-action="stake"]');
    await page.waitForFunction(() => document.getElementById('stake-status')?.textContent === 'Staking: done.');
    await page.waitForSelector('#position[data-staked="1250000000"]');
    const principal = await world.devnet.publicClient.readContract({
      address: world.devnet.deployment.agent.vault,
      abi: yieldVaultAbi,
      functionName: 'principalOf',
      args: [demoStaker(0).account.address],
    });
    expect(formatUnits(principal, 6)).toBe('1250');
    await shot('stake');
  });

  it('fits a 390 px phone: the page never scrolls sideways, tables scroll in their card, the header wraps, a favicon', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      const wide = () =>
        page.evaluate(() =>
          Array.from(document.querySelectorAll('body *'))
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('table'))
            .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)
            .slice(0, 8),
        );
      for (const tab of ['chat', 'treasury', 'stake']) {
        await page.click(`[data-tab="${tab}"]`);
        expect(await overflow(), `${tab}: ${(await wide()).join(', ')}`).toBeLessThanOrEqual(0);
      }
      await page.click('[data-tab="treasury"]');
      const ledger = await page.evaluate(() => {
        const table = document.querySelector('table.ledger') as HTMLElement;
        return { scrollable: getComputedStyle(table).overflowX, width: table.getBoundingClientRect().width };
      });
      expect(ledger.scrollable).toBe('auto');
      expect(ledger.width).toBeLessThanOrEqual(390);
      // The header's parts stay inside the screen (it wraps instead of crowding).
      const header = await page.evaluate(() => Array.from(document.querySelectorAll('.top > *')).map((el) => el.getBoundingClientRect().right));
      for (const right of header) expect(right).toBeLessThanOrEqual(390);
      expect(await page.getAttribute('link[rel="icon"]', 'href')).toMatch(/^data:image\/svg\+xml,/);
      await shot('phone');
    } finally {
      await page.setViewportSize({ width: 1200, height: 860 });
    }
  });
});
