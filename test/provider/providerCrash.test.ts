import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { freePort } from '../../devnet/freePort.js';
import { formatVoucherHeader } from '../../chain/voucher/formatVoucherHeader.js';
import { maxCost } from '../../chain/voucher/maxCost.js';
import { signVoucher } from '../../chain/voucher/signVoucher.js';
import { anvilKeys, startMarket, type StartMarketReturnType } from '../fixtures/startMarket.js';
import { startScriptedModel, type StartScriptedModelReturnType } from '../fixtures/scriptedModel.js';

const here = dirname(fileURLToPath(import.meta.url));
const terms = { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, defaultMaxTokens: 64n };
let m: StartMarketReturnType;
let model: StartScriptedModelReturnType;
let dir: string;
let child: ChildProcess | undefined;

/** Starts the provider as a child process and resolves with its stdout "ready" line. */
function spawnProvider(options: Record<string, unknown>): Promise<{ process: ChildProcess; line: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(here, '..', 'fixtures', 'runProvider.ts'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('ready '));
      if (line) resolve({ process: proc, line });
    });
    proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.once('exit', (code) => reject(new Error(`provider exited with ${code}: ${err}`)));
  });
}

const exited = (proc: ChildProcess) => new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'y2c-provider-crash-'));
  m = await startMarket();
  model = await startScriptedModel();
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await model?.stop();
  await m?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('provider node: killed mid-stream', () => {
  it('restarts with spent and vouchers intact, charges nothing for the interrupted stream, and redeems the ledger', async () => {
    const port = await freePort();
    const options = {
      rpcUrl: m.anvil.rpcUrl,
      chainId: m.chain.id,
      market: m.market,
      key: anvilKeys[1],
      upstream: model.url,
      databasePath: join(dir, 'provider.db'),
      port,
      priceInPerMTok: terms.priceInPerMTok.toString(),
      priceOutPerMTok: terms.priceOutPerMTok.toString(),
    };
    const origin = `http://127.0.0.1:${port}`;
    const channelId = await m.openChannel({ provider: m.provider.account.address, amount: 1_000_000n });
    const header = async (authorized: bigint) =>
      formatVoucherHeader(await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId, authorized }));
    const body = { model: 'scripted', messages: [{ role: 'user', content: 'tell me a long story' }] };
    const bound = maxCost(body, terms).cost;
    const post = (voucher: string, extra: Record<string, unknown> = {}) =>
      fetch(`${origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-y2c-voucher': voucher },
        body: JSON.stringify({ ...body, ...extra }),
      });
    const channel = async () => (await (await fetch(`${origin}/y2c/channels/${channelId}`)).json()) as Record<string, string>;

    let started = await spawnProvider(options);
    child = started.process;
    expect(started.line).toContain('released=0');

    model.push({ content: 'once upon a time' });
    const first = await header(bound);
    const served = await post(first);
    expect(served.status).toBe(200);
    const spent = BigInt(served.headers.get('x-y2c-spent')!);
    expect(spent).toBeGreaterThan(0n);

    // A second channel with some spending, whose payer will ask to close while the node is down.
    const closingId = await m.openChannel({ provider: m.provider.account.address, amount: 1_000_000n });
    model.push({ content: 'a short one' });
    const closingVoucher = formatVoucherHeader(
      await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId: closingId, authorized: bound }),
    );
    const closingServed = await post(closingVoucher);
    expect(closingServed.status).toBe(200);
    const closingSpent = BigInt(closingServed.headers.get('x-y2c-spent')!);

    // A slow stream, killed after a few chunks.
    model.push({ content: Array.from({ length: 60 }, (_, i) => `word${i}`).join(' '), chunkDelayMs: 50 });
    const streamed = await header(spent + bound);
    const response = await post(streamed, { stream: true });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-y2c-reserved')).toBe(bound.toString());
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    while ((seen.match(/word/g) ?? []).length < 3) seen += decoder.decode((await reader.read()).value);
    child.kill('SIGKILL');
    await exited(child);
    await expect(reader.read().then(async (r) => (r.done ? 'ended' : (await reader.read(), 'more')))).rejects.toThrow();
    const close = await m.payer.writeContract({ address: m.market, abi: computeMarketAbi, functionName: 'requestClose', args: [closingId] });
    await m.payer.waitForTransactionReceipt({ hash: close });

    started = await spawnProvider(options);
    child = started.process;
    // The interrupted stream's reservation was released at start: nothing charged for it.
    expect(started.line).toContain('released=1');
    expect(await channel()).toMatchObject({ spent: spent.toString(), reserved: '0', authorized: (spent + bound).toString() });

    // The close it missed while down is caught at start: that channel is redeemed without being asked.
    const deadline = Date.now() + 15_000;
    let closingRedeemed = 0n;
    while (Date.now() < deadline && closingRedeemed !== closingSpent) {
      closingRedeemed = (await m.provider.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'getChannel', args: [closingId] })).redeemed;
      if (closingRedeemed !== closingSpent) await new Promise((r) => setTimeout(r, 100));
    }
    expect(closingRedeemed).toBe(closingSpent);

    // The ledger survived: the first voucher no longer covers a request (its total is partly spent);
    // the interrupted one paid nothing and still covers one. (Since a voucher may be sent again while
    // it covers the request, the first one's refusal is `voucher_insufficient`, no longer `voucher_replayed`.)
    const replay = await post(first);
    expect(replay.status).toBe(402);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('voucher_insufficient');
    model.push({ content: 'the end' });
    const again = await post(streamed);
    expect(again.status).toBe(200);
    const finalSpent = BigInt(again.headers.get('x-y2c-spent')!);
    expect(finalSpent).toBe(spent + BigInt(again.headers.get('x-y2c-cost')!));

    // A graceful stop settles: on chain, redeemed equals the ledger to the unit.
    child.kill('SIGTERM');
    await exited(child);
    expect(child.exitCode).toBe(0);
    const onChain = await m.provider.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'getChannel', args: [channelId] });
    expect(onChain.redeemed).toBe(finalSpent);
  });
});
