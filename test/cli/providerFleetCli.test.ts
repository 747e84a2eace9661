/**
 * `y2c provider start --store postgres://…` runs a fleet: three frontends started through the real
 * CLI entry (bin/y2c.js) on one embedded PostgreSQL ledger, one key, one public URL. Paid requests on
 * one channel go through all of them at once; one is killed with -9 mid-stream. Checks: never served
 * beyond the vouchers, the market entry stays the fleet's public URL, the dead frontend's reservation
 * is released, the survivors carry on, and settlement redeems exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { erc20Abi, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { formatVoucherHeader } from '../../chain/voucher/formatVoucherHeader.js';
import { maxCost } from '../../chain/voucher/maxCost.js';
import { signVoucher } from '../../chain/voucher/signVoucher.js';
import { runCli } from '../fixtures/runCli.js';
import { anvilKeys, startMarket, type StartMarketReturnType } from '../fixtures/startMarket.js';
import { startPostgres, type StartPostgresReturnType } from '../fixtures/startPostgres.js';
import { startScriptedModel, type StartScriptedModelReturnType } from '../fixtures/scriptedModel.js';

const bin = fileURLToPath(new URL('../../bin/y2c.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'y2c-fleet-cli-'));
const publicUrl = 'https://llm.fleet.example/v1';
let m: StartMarketReturnType;
let model: StartScriptedModelReturnType;
let postgres: StartPostgresReturnType;
let env: Record<string, string>;
const children: ChildProcess[] = [];

type Frontend = { process: ChildProcess; origin: string; output: () => string };

/** One `y2c provider start --store <url>` process; resolves once it prints where it serves. */
function startFrontend(store: string): Promise<Frontend> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('Y2C_')));
  const proc = spawn(process.execPath, [bin, 'provider', 'start', '--store', store], { cwd: dir, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let out = '';
  proc.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', () => {
      const match = /serving (http:\/\/\S+)\/v1 \(ledger: postgres\)/.exec(out);
      if (match) resolve({ process: proc, origin: match[1]!, output: () => out });
    });
    proc.once('exit', (code) => reject(new Error(`frontend exited with ${code}: ${out}`)));
  });
}

const exited = (proc: ChildProcess) => new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  [m, postgres] = await Promise.all([startMarket(), startPostgres()]);
  model = await startScriptedModel({
    replies: (request) =>
      JSON.stringify(request.messages).includes('long story')
        ? { content: Array.from({ length: 60 }, (_, i) => `word${i}`).join(' '), chunkDelayMs: 50 }
        : // Slow enough that one round's requests are all in flight together.
          { content: 'a short answer', delayMs: 2_000 },
  });
  // What `y2c up` would have written: the chain's addresses (only the market and token matter to a provider).
  writeFileSync(
    join(dir, 'deployment.json'),
    JSON.stringify({
      chainId: m.chain.id,
      entryPoint: zeroAddress,
      erc6551Registry: zeroAddress,
      usdx: m.token,
      susdx: zeroAddress,
      agentNft: zeroAddress,
      accountImplementation: zeroAddress,
      computeMarket: m.market,
      agent: { tokenId: '1', tba: zeroAddress, vault: zeroAddress, sessionKey: zeroAddress },
    }),
  );
  writeFileSync(
    join(dir, 'y2c.config.json'),
    JSON.stringify({
      network: 'local',
      chain: { rpcUrl: m.anvil.rpcUrl },
      provider: { backend: 'openai', upstream: { url: model.url }, models: ['scripted'], port: 0, settleIntervalSeconds: 3600, x402: { enabled: false } },
    }),
  );
  env = { Y2C_CONFIG: join(dir, 'y2c.config.json'), Y2C_DATA_DIR: dir, Y2C_PROVIDER_KEY: anvilKeys[1], Y2C_PROVIDER_PUBLIC_URL: publicUrl, Y2C_LOG_LEVEL: 'warn' };
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await model?.stop();
  await m?.stop();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('y2c provider start --store postgres:// (a fleet through the CLI)', () => {
  it('refuses a postgres store without the fleet’s public URL, before touching the market entry', async () => {
    const url = await postgres.createDatabase('nourl');
    const { Y2C_PROVIDER_PUBLIC_URL: _omitted, ...rest } = env;
    const run = await runCli(['provider', 'start', '--store', url], rest);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('Missing config option "provider.publicUrl"');
    expect(run.stderr).toContain('Y2C_PROVIDER_PUBLIC_URL');
    const entry = await m.provider.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'getProvider', args: [m.provider.account.address] });
    expect(entry.endpoint).not.toBe(publicUrl);
  });

  it('three frontends on one ledger: one public URL, never over-served, a kill -9 mid-stream released, survivors serve and settle once', async () => {
    const url = await postgres.createDatabase('fleetcli');
    const entryOf = () => m.provider.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'getProvider', args: [m.provider.account.address] });
    // One after another, as a rolling start: each leaves the entry at the public URL.
    const frontends: Frontend[] = [];
    for (let i = 0; i < 3; i++) {
      frontends.push(await startFrontend(url));
      expect((await entryOf()).endpoint).toBe(publicUrl);
    }
    expect(new Set(frontends.map((f) => f.origin)).size).toBe(3);
    // Only the first frontend sent a registration: the others found the entry already the fleet's.
    const registered = await m.provider.getContractEvents({ address: m.market, abi: computeMarketAbi, eventName: 'ProviderRegistered', fromBlock: 0n });
    expect(registered.filter((event) => event.args.endpoint === publicUrl)).toHaveLength(1);

    const info = (await (await fetch(`${frontends[0]!.origin}/y2c/info`)).json()) as Record<string, string>;
    const terms = { priceInPerMTok: BigInt(info.priceInPerMTok!), priceOutPerMTok: BigInt(info.priceOutPerMTok!), defaultMaxTokens: BigInt(info.defaultMaxTokens!) };
    const body = { model: 'scripted', messages: [{ role: 'user', content: 'hello' }] };
    const bound = maxCost(body, terms).cost;
    const channelId = await m.openChannel({ provider: m.provider.account.address, amount: 1_000_000n });
    const balanceBefore = await m.provider.readContract({ address: m.token, abi: erc20Abi, functionName: 'balanceOf', args: [m.provider.account.address] });
    const header = async (authorized: bigint) => formatVoucherHeader(await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId, authorized }));
    const post = (frontend: Frontend, voucher: string, payload: Record<string, unknown> = body) =>
      fetch(`${frontend.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-y2c-voucher': voucher }, body: JSON.stringify(payload) });
    const ledger = async (frontend: Frontend) => (await (await fetch(`${frontend.origin}/y2c/channels/${channelId}`)).json()) as Record<string, string>;

    // 15 clients at once on the one channel, through all three frontends; the vouchers cover 4 requests.
    const cap = 4n * bound;
    let spentSeen = 0n;
    const statuses = await Promise.all(
      Array.from({ length: 15 }, async (_, i) => {
        const response = await post(frontends[i % 3]!, await header(cap + BigInt(i + 1)));
        const text = await response.text();
        if (response.status === 200) spentSeen += BigInt(response.headers.get('x-y2c-cost')!);
        else expect(JSON.parse(text).error.code).toBe('voucher_insufficient');
        return response.status;
      }),
    );
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThanOrEqual(4);
    let view = await ledger(frontends[1]!);
    expect(BigInt(view.spent!)).toBe(spentSeen);
    expect(BigInt(view.spent!)).toBeLessThanOrEqual(cap + 15n);
    expect(view.reserved).toBe('0');

    // A slow stream through frontend 0, killed with -9 after a few chunks.
    const story = { model: 'scripted', messages: [{ role: 'user', content: 'tell me a long story' }], stream: true };
    const storyBound = maxCost(story, terms).cost;
    const streamed = await header(spentSeen + storyBound);
    const response = await post(frontends[0]!, streamed, story);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let seen = '';
    while ((seen.match(/word/g) ?? []).length < 3) seen += new TextDecoder().decode((await reader.read()).value);
    expect((await ledger(frontends[2]!)).reserved).toBe(storyBound.toString());
    frontends[0]!.process.kill('SIGKILL');
    await exited(frontends[0]!.process);
    // A survivor releases the dead frontend's reservation (its reap runs every 5 s), charging nothing.
    view = await ledger(frontends[1]!);
    for (let i = 0; i < 150 && view.reserved !== '0'; i++) {
      await sleep(100);
      view = await ledger(frontends[1]!);
    }
    expect(view).toMatchObject({ spent: spentSeen.toString(), reserved: '0' });
    expect((await entryOf()).endpoint).toBe(publicUrl);

    // The survivors carry on: the interrupted voucher may be sent again, then one more request on the other.
    const retried = await post(frontends[2]!, streamed, story);
    expect(retried.status).toBe(200);
    await retried.text();
    let spent = BigInt((await ledger(frontends[1]!)).spent!);
    expect(spent).toBeGreaterThan(spentSeen);
    expect(spent - spentSeen).toBeLessThanOrEqual(storyBound);
    const more = await post(frontends[1]!, await header(spent + bound));
    expect(more.status).toBe(200);
    expect(BigInt(more.headers.get('x-y2c-spent')!)).toBe(spent + BigInt(more.headers.get('x-y2c-cost')!));
    spent = BigInt(more.headers.get('x-y2c-spent')!);

    // Settlement: the payer asks to close; the leader redeems at once, and only it.
    await m.payer.writeContract({ address: m.market, abi: computeMarketAbi, functionName: 'requestClose', args: [channelId] });
    const redeemed = async () => (await m.provider.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'getChannel', args: [channelId] })).redeemed;
    for (let i = 0; i < 200 && (await redeemed()) !== spent; i++) await sleep(100);
    expect(await redeemed()).toBe(spent);
    // Both survivors stop gracefully (each settles on stop): nothing is redeemed twice.
    for (const f of frontends.slice(1)) f.process.kill('SIGTERM');
    await Promise.all(frontends.slice(1).map((f) => exited(f.process)));
    for (const f of frontends.slice(1)) expect(f.process.exitCode, f.output()).toBe(0);
    expect(await redeemed()).toBe(spent);
    const balanceAfter = await m.provider.readContract({ address: m.token, abi: erc20Abi, functionName: 'balanceOf', args: [m.provider.account.address] });
    expect(balanceAfter - balanceBefore).toBe(spent);
    const db = new pg.Client({ connectionString: url });
    db.on('error', () => undefined);
    await db.connect();
    try {
      const confirmed = await db.query<{ paid: string }>("SELECT paid FROM provider_redemptions WHERE channel_id = $1 AND status = 'confirmed'", [channelId.toString()]);
      expect(confirmed.rows.reduce((sum, row) => sum + BigInt(row.paid), 0n)).toBe(spent);
      expect((await db.query('SELECT 1 FROM provider_reservations')).rowCount).toBe(0);
      expect((await db.query("SELECT 1 FROM provider_charges WHERE outcome = 'crashed'")).rowCount).toBe(1);
    } finally {
      await db.end();
    }
    expect((await entryOf()).endpoint).toBe(publicUrl);
  });
});
