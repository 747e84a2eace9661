import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { erc20Abi } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { freePort } from '../../devnet/freePort.js';
import { formatVoucherHeader } from '../../chain/voucher/formatVoucherHeader.js';
import { maxCost } from '../../chain/voucher/maxCost.js';
import { signVoucher } from '../../chain/voucher/signVoucher.js';
import { anvilKeys, startMarket, type StartMarketReturnType } from '../fixtures/startMarket.js';
import { startPostgres, type StartPostgresReturnType } from '../fixtures/startPostgres.js';
import { startScriptedModel, type StartScriptedModelReturnType } from '../fixtures/scriptedModel.js';

const here = dirname(fileURLToPath(import.meta.url));
const terms = { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, defaultMaxTokens: 64n };
let m: StartMarketReturnType;
let model: StartScriptedModelReturnType;
let postgres: StartPostgresReturnType;
const children: ChildProcess[] = [];

type Frontend = { process: ChildProcess; origin: string };

function spawnFrontend(options: Record<string, unknown>): Promise<Frontend> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(here, '..', 'fixtures', 'runProvider.ts'), JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('ready '));
      if (line) resolve({ process: proc, origin: line.split(' ')[1]! });
    });
    proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.once('exit', (code) => reject(new Error(`frontend exited with ${code}: ${err}`)));
  });
}

const exited = (proc: ChildProcess) => new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  [m, postgres] = await Promise.all([startMarket(), startPostgres()]);
  // Short answers, except a long slow stream when asked for a story.
  model = await startScriptedModel({
    replies: (request) =>
      JSON.stringify(request.messages).includes('long story')
        ? { content: Array.from({ length: 60 }, (_, i) => `word${i}`).join(' '), chunkDelayMs: 50 }
        : // Slow enough that a round's requests are all in flight at once: none settles before the last is reserved.
          { content: 'a short answer', delayMs: 3_000 },
  });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await model?.stop();
  await m?.stop();
  await postgres?.stop();
});

describe('provider fleet: three frontends on one PostgreSQL ledger', () => {
  it('never serves beyond what was authorized, redeems once, releases a killed frontend’s reservations, and survives the leader’s kill -9', async () => {
    const url = await postgres.createDatabase('fleet');
    const base = {
      rpcUrl: m.anvil.rpcUrl,
      chainId: m.chain.id,
      market: m.market,
      key: anvilKeys[1],
      upstream: model.url,
      databasePath: url,
      priceInPerMTok: terms.priceInPerMTok.toString(),
      priceOutPerMTok: terms.priceOutPerMTok.toString(),
      settleIntervalMs: 1_000,
      reapIntervalMs: 300,
    };
    const frontends = await Promise.all([0, 1, 2].map(async () => spawnFrontend({ ...base, port: await freePort() })));
    const body = { model: 'scripted', messages: [{ role: 'user', content: 'hello' }] };
    const bound = maxCost(body, terms).cost;
    const channelIds = [
      await m.openChannel({ provider: m.provider.account.address, amount: 1_000_000n }),
      await m.openChannel({ provider: m.provider.account.address, amount: 1_000_000n }),
    ];
    const balanceBefore = await m.provider.readContract({ address: m.token, abi: erc20Abi, functionName: 'balanceOf', args: [m.provider.account.address] });
    const header = async (channelId: bigint, authorized: bigint) =>
      formatVoucherHeader(await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId, authorized }));
    const post = (frontend: Frontend, voucher: string, extra: Record<string, unknown> = {}) =>
      fetch(`${frontend.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-y2c-voucher': voucher },
        body: JSON.stringify({ ...body, ...extra }),
      });
    const ledger = async (frontend: Frontend, channelId: bigint) => (await (await fetch(`${frontend.origin}/y2c/channels/${channelId}`)).json()) as Record<string, string>;

    // Round 1: 36 clients at once on two channels, spread over the three frontends. Each channel's
    // vouchers authorize about 6 requests' worth; every voucher is distinct (authorized = cap + k).
    const cap = 6n * bound;
    let k = 0n;
    const served = new Map<bigint, bigint>(channelIds.map((id) => [id, 0n]));
    const round = async (clients: number, pool: Frontend[]) => {
      const results = await Promise.all(
        Array.from({ length: clients }, async (_, i) => {
          const channelId = channelIds[i % channelIds.length]!;
          const response = await post(pool[i % pool.length]!, await header(channelId, cap + ++k));
          const text = await response.text();
          if (response.status === 200) served.set(channelId, served.get(channelId)! + BigInt(response.headers.get('x-y2c-cost')!));
          else expect(JSON.parse(text).error.code).toBe('voucher_insufficient');
          return response.status;
        }),
      );
      return results;
    };
    const first = await round(36, frontends);
    // All in flight together: per channel, at most the 6 bounds its best voucher covers are held, whichever frontend took them.
    for (const [c, id] of channelIds.entries()) {
      const ok = first.filter((status, i) => i % channelIds.length === c && status === 200).length;
      expect(ok, `channel ${id}`).toBeGreaterThan(0);
      expect(ok, `channel ${id}`).toBeLessThanOrEqual(Number((cap + 36n) / bound));
    }
    expect(Number((cap + 36n) / bound)).toBe(6);
    expect(first.filter((s) => s === 402).length).toBeGreaterThanOrEqual(24);
    for (const id of channelIds) {
      const view = await ledger(frontends[2]!, id);
      // Never served beyond authorized: what the fleet charged is what the clients were told, within the best voucher.
      expect(BigInt(view.spent!)).toBe(served.get(id));
      expect(BigInt(view.spent!)).toBeLessThanOrEqual(cap + k);
      expect(view.reserved).toBe('0');
    }

    // A slow stream on frontend 0 on a fresh channel, killed with -9 after a few chunks.
    const third = await m.openChannel({ provider: m.provider.account.address, amount: 1_000_000n });
    const story = { model: 'scripted', messages: [{ role: 'user', content: 'tell me a long story' }], stream: true };
    const storyBound = maxCost(story, terms).cost;
    const streamed = await header(third, storyBound);
    const response = await post(frontends[0]!, streamed, story);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let seen = '';
    while ((seen.match(/word/g) ?? []).length < 3) seen += new TextDecoder().decode((await reader.read()).value);
    expect((await ledger(frontends[1]!, third)).reserved).toBe(storyBound.toString());
    frontends[0]!.process.kill('SIGKILL');
    await exited(frontends[0]!.process);
    // A survivor releases the dead frontend's reservation, charging nothing; the voucher may be sent again.
    let view = await ledger(frontends[1]!, third);
    for (let i = 0; i < 100 && view.reserved !== '0'; i++) {
      await sleep(100);
      view = await ledger(frontends[1]!, third);
    }
    expect(view).toMatchObject({ spent: '0', reserved: '0' });
    const retried = await post(frontends[2]!, streamed, story);
    expect(retried.status).toBe(200);
    await retried.text();
    const afterRetry = await ledger(frontends[1]!, third);
    expect(BigInt(afterRetry.spent!)).toBeGreaterThan(0n);
    expect(BigInt(afterRetry.spent!)).toBeLessThanOrEqual(storyBound);
    served.set(third, BigInt(afterRetry.spent!));
    channelIds.push(third);

    // The settlement leader: the frontend whose ledger connection holds the leader lock.
    const db = new pg.Client({ connectionString: url });
    // If an assertion below fails, the database stops under this client: that must not surface as an uncaught error.
    db.on('error', () => undefined);
    await db.connect();
    const leaderPid = async () => {
      const { rows } = await db.query<{ application_name: string }>(
        `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = hashtext('y2c/provider/settlement-leader')::oid`,
        [0x7932],
      );
      const match = /pid=(\d+)/.exec(rows[0]?.application_name ?? '');
      return match ? Number(match[1]) : undefined;
    };
    const survivors = frontends.slice(1);
    // If the killed frontend led, a survivor takes the lock at its next settlement tick.
    let pid = await leaderPid();
    for (let i = 0; i < 100 && !survivors.some((f) => f.process.pid === pid); i++) {
      await sleep(100);
      pid = await leaderPid();
    }
    const leader = survivors.find((f) => f.process.pid === pid);
    expect(leader).toBeDefined();
    // Wait for the leader's first redemption, then kill it too.
    const redeemedOnChain = async (id: bigint) => (await m.provider.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'getChannel', args: [id] })).redeemed;
    for (let i = 0; i < 100 && (await redeemedOnChain(channelIds[0]!)) === 0n; i++) await sleep(100);
    expect(await redeemedOnChain(channelIds[0]!)).toBe(served.get(channelIds[0]!));
    leader!.process.kill('SIGKILL');
    await exited(leader!.process);
    const last = survivors.find((f) => f !== leader)!;

    // The last frontend carries on: it serves (a new voucher above what was spent) and takes over settlement.
    for (const id of channelIds) {
      const spent = BigInt((await ledger(last, id)).spent!);
      const more = await post(last, await header(id, spent + bound));
      expect(more.status).toBe(200);
      expect(BigInt(more.headers.get('x-y2c-spent')!)).toBe(spent + BigInt(more.headers.get('x-y2c-cost')!));
      served.set(id, BigInt(more.headers.get('x-y2c-spent')!));
    }
    const deadline = Date.now() + 30_000;
    const settled = async () => (await Promise.all(channelIds.map(async (id) => (await redeemedOnChain(id)) === served.get(id)))).every(Boolean);
    while (Date.now() < deadline && !(await settled())) await sleep(200);
    expect(await leaderPid()).toBe(last.process.pid);

    // Never redeemed twice: on chain, each channel's redeemed is its ledger's spent, and the provider got exactly their sum.
    let total = 0n;
    for (const id of channelIds) {
      expect(await redeemedOnChain(id)).toBe(served.get(id));
      const view = await ledger(last, id);
      expect(view).toMatchObject({ spent: served.get(id)!.toString(), reserved: '0', redeemed: served.get(id)!.toString() });
      const paid = await db.query<{ paid: string }>("SELECT paid FROM provider_redemptions WHERE channel_id = $1 AND status = 'confirmed'", [id.toString()]);
      expect(paid.rows.reduce((sum, r) => sum + BigInt(r.paid), 0n)).toBe(served.get(id));
      total += served.get(id)!;
    }
    const balanceAfter = await m.provider.readContract({ address: m.token, abi: erc20Abi, functionName: 'balanceOf', args: [m.provider.account.address] });
    expect(balanceAfter - balanceBefore).toBe(total);
    // Every reservation released, the killed frontends' included.
    expect((await db.query('SELECT 1 FROM provider_reservations')).rowCount).toBe(0);
    const crashed = await db.query("SELECT 1 FROM provider_charges WHERE outcome = 'crashed'");
    expect(crashed.rowCount).toBe(1);
    await db.end();
    last.process.kill('SIGTERM');
    await exited(last.process);
    expect(last.process.exitCode).toBe(0);
  });
});
