import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createWalletClient, encodeFunctionData, http } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type StartAgentReturnType } from '../../agent/daemon/startAgent.js';
import { silentLogger } from '../../core/Logger.js';
import { buildWeb } from '../../agent/web/buildWeb.js';
import { agentGovernorAbi } from '../../chain/abi/generated/agentGovernor.js';
import { charterAbi } from '../../chain/abi/generated/charter.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { readCharter } from '../../chain/governance/readCharter.js';
import { loadConfig } from '../../config/loadConfig.js';
import { findChromium } from '../fixtures/findChromium.js';
import { startTestDevnet, type TestDevnet } from '../fixtures/startTestDevnet.js';

// Members govern from the page: a demo staker signs in (dev account, SIWE), votes on a charter
// proposal from the Governance tab, time is warped, the proposal is queued and executed from the
// page, and the charter the page shows changes. Real devnet (self-owned), daemon, Chromium.

const artifacts = join(process.cwd(), 'test', 'artifacts');
let devnet: TestDevnet;
let agent: StartAgentReturnType;
let browser: BrowserContext;
let page: Page;
let profile: string;
const constitution = 'You are Ada. The community voted this from its page.';
const voter = devRoles.firstStaker + 2; // 5000 of 8500 USDx: above the 4% quorum alone

const warp = async (seconds: number) => {
  await devnet.publicClient.request({ method: 'evm_increaseTime' as never, params: [seconds] as never });
  await devnet.publicClient.request({ method: 'evm_mine' as never, params: [] as never });
};
const governance = () => devnet.deployment.governance as NonNullable<TestDevnet['deployment']['governance']>;
const openTab = async () => {
  await page.click('[data-tab="chat"]');
  await page.click('[data-tab="governance"]');
};
const rowState = (state: string) => page.waitForSelector(`tr[data-proposal][data-state="${state}"]`, { timeout: 30_000 });

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  await buildWeb();
  devnet = await startTestDevnet({ bundler: false });
  const config = loadConfig({ cwd: devnet.dataDir, env: {}, overrides: { dataDir: devnet.dataDir, chain: { transport: 'direct' } } as never });
  agent = await startAgent(config, { connection: { rpcUrl: devnet.anvil.rpcUrl, bundlerUrl: devnet.bundler?.bundlerUrl, deployment: devnet.deployment, sessionKeyPath: devnet.sessionKeyPath, publicClient: devnet.publicClient }, chatPort: 0, healthPort: 0, log: silentLogger, runTreasuryOnStart: false });

  // A member files a charter change (from the terminal or any wallet); the page takes it from here.
  // The proposer's votes are read one second before the proposal (ERC-6372 timestamp clock): the
  // demo stakes may have landed in the current second.
  await warp(2);
  const { current } = await readCharter(devnet.publicClient, { charter: governance().charter });
  const calldata = encodeFunctionData({ abi: charterAbi, functionName: 'update', args: [constitution, { ...current.limits, runwayTargetHours: 48 }] });
  const proposer = createWalletClient({ chain: foundry, transport: http(devnet.anvil.rpcUrl), account: devAccount(devRoles.firstStaker).account });
  const { request } = await devnet.publicClient.simulateContract({
    account: proposer.account,
    address: governance().governor,
    abi: agentGovernorAbi,
    functionName: 'propose',
    args: [[governance().charter], [0n], [calldata], 'Ada, and two days of runway'],
    blockTag: 'pending',
  });
  await devnet.publicClient.waitForTransactionReceipt({ hash: await proposer.writeContract(request) });
  await warp(301); // past the voting delay

  profile = mkdtempSync(join(tmpdir(), 'y2c-chromium-'));
  const found = await findChromium();
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: found.executablePath,
    headless: true,
    viewport: { width: 1200, height: 900 },
    locale: 'en-US',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...found.args],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(agent.chatUrl);
  await page.waitForSelector('body[data-ready="true"]');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await agent?.stop();
  await devnet?.dispose();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('Governance tab', () => {
  it('shows the charter and the proposal before sign-in, without buttons', async () => {
    await openTab();
    await page.waitForSelector('#charter[data-version="1"]');
    const row = await rowState('active');
    expect(await row.innerText()).toContain('Ada, and two days of runway');
    expect(await page.$$('tr[data-proposal] button')).toHaveLength(0);
    expect(await page.innerText('#charter-history')).toContain('24 h');
  });

  it('a demo staker votes from the page; after the warp it is queued and executed from the page; the charter shown changes', { timeout: 180_000 }, async () => {
    await page.click('[data-tab="chat"]');
    await page.selectOption('#dev-account', String(voter));
    await page.click('#dev-signin');
    await page.waitForSelector('#chat:not([hidden])');
    await openTab();
    await page.waitForSelector('button[data-vote="for"]');
    expect(await page.innerText('#gov-member')).toContain('5,000 USDx of voting power');
    await page.click('button[data-vote="for"]');
    await page.waitForFunction(() => document.querySelector('#gov-status')?.textContent === 'Voting for: done.', undefined, { timeout: 30_000 });
    const voted = await rowState('active');
    expect(await voted.innerText()).toMatch(/5,000 USDx \/ 0 USDx \/ 0 USDx/);
    expect(await voted.innerText()).toContain('(voted)');
    expect(await voted.innerText()).toContain('340 USDx'); // quorum: 4% of 8500

    await warp(86_401); // the vote ends
    await openTab();
    await rowState('succeeded');
    await page.click('button[data-step="queue"]');
    await rowState('queued');
    expect(await page.$('button[data-step="execute"]')).toBeNull(); // the timelock's day has not passed

    await warp(86_401);
    await openTab();
    await page.click('button[data-step="execute"]');
    await rowState('executed');
    await page.waitForSelector('#charter[data-version="2"]');
    expect(await page.innerText('#charter-constitution')).toBe(constitution);
    expect(await page.innerText('#charter-runway')).toBe('48');
    expect(await page.innerText('#gov-error')).toBe('');
    const path = join(artifacts, 'governance-page.png');
    await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(10_000);

    // The running daemon follows the same charter.
    const deadline = Date.now() + 10_000;
    while (agent.charter.current().version !== 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(agent.charter.current()).toMatchObject({ version: 2, constitution, runwayTargetHours: 48 });
  });
});
