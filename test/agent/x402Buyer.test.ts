/**
 * Issue 14 item 4: the agent's paying fetch buys from an x402 seller built with the official server
 * middleware (`@x402/express` + `@x402/core` resource server + the official `@x402/evm` batch-settlement
 * server and facilitator, in-process), on a real anvil with alto: the TBA deposits into our escrow at its
 * canonical address through the guarded executor (user operations of the session key), the session key
 * signs the vouchers. Attacks: an untrusted seller, a price above the cap, a seller asking another receiver.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { x402Facilitator } from '@x402/core/facilitator';
import type { Network } from '@x402/core/types';
import { toFacilitatorEvmSigner } from '@x402/evm';
import { computeChannelId } from '@x402/evm/batch-settlement/client';
import { BatchSettlementEvmScheme as BatchSettlementFacilitator } from '@x402/evm/batch-settlement/facilitator';
import { BatchSettlementEvmScheme as BatchSettlementServer, InMemoryChannelStorage } from '@x402/evm/batch-settlement/server';
import { paymentMiddleware, x402ResourceServer } from '@x402/express';
import express from 'express';
import { encodeFunctionData, http, parseEther, publicActions, walletActions, createWalletClient, zeroAddress, type Address, type PublicClient } from 'viem';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAccountAbi } from '../../chain/abi/generated/agentAccount.js';
import { PolicyViolationError } from '../../chain/errors.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { x402BatchSettlementAbi } from '../../chain/abi/generated/x402BatchSettlement.js';
import { deployX402, x402BatchSettlementAddress } from '../../chain/deploy/deployX402.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { loadSessionKey } from '../../chain/wallet/loadSessionKey.js';
import { agentSessionPolicy } from '../../chain/wallet/agentSessionPolicy.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { createBuyX402ServiceTool } from '../../tools/compute/createBuyX402ServiceTool.js';
import { createPayingFetch } from '../../tools/compute/createPayingFetch.js';
import { createSqlitePayingStore, type CreateSqlitePayingStoreReturnType } from '../../tools/compute/createSqlitePayingStore.js';
import { PerRequestCapExceededError, ProviderUntrustedError, X402OfferRefusedError } from '../../tools/compute/errors.js';
import { createGuardedExecutor, type GuardedExecutor, type X402ChannelConfig } from '../../guard/createGuardedExecutor.js';
import { UntrustedProviderError } from '../../guard/errors.js';
import { reconcileLedger } from '../../guard/reconcileLedger.js';
import OpenAI from 'openai';
import { maxCost } from '../../chain/voucher/maxCost.js';
import { createOpenAiBackend } from '../../provider/backends/createOpenAiBackend.js';
import { startProvider, type StartProviderReturnType } from '../../provider/startProvider.js';
import { invokeTool } from '../fixtures/invokeTool.js';
import { startScriptedModel, type StartScriptedModelReturnType } from '../fixtures/scriptedModel.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';
import { join } from 'node:path';

const network = 'eip155:31337' as Network;
const price = 1_000n;
let world: AgentWorld;
let memory: OpenAgentMemoryReturnType;
let store: CreateSqlitePayingStoreReturnType;
let guard: GuardedExecutor;
let server: Server;
let origin: string;
let model: StartScriptedModelReturnType;
let node: StartProviderReturnType;
const seller = devAccount(8).account;
const stranger = devAccount(9).account;

/** An official x402 seller: express + @x402/express middleware, batch-settlement (and exact on /exact-only). */
async function startSeller(publicClient: PublicClient) {
  const client = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: seller, pollingInterval: 100 }).extend(publicActions).extend(walletActions);
  const evmSigner = toFacilitatorEvmSigner({
    address: seller.address,
    readContract: (args: never) => client.readContract(args),
    verifyTypedData: (args: never) => client.verifyTypedData(args),
    writeContract: (args: object) => client.writeContract({ ...args, account: seller, chain: foundry } as never),
    sendTransaction: (args: object) => client.sendTransaction({ ...args, account: seller, chain: foundry } as never),
    waitForTransactionReceipt: (args: never) => client.waitForTransactionReceipt(args),
    getCode: (args: never) => client.getCode(args),
  } as never);
  const authorizer = { address: seller.address, signTypedData: (message: never) => seller.signTypedData(message) };
  const facilitator = new x402Facilitator().register(network, new BatchSettlementFacilitator(evmSigner, authorizer as never));
  const batch = new BatchSettlementServer(seller.address, { storage: new InMemoryChannelStorage(), receiverAuthorizerSigner: authorizer as never, withdrawDelay: 3_600 });
  const resourceServer = new x402ResourceServer({
    verify: (payload: never, requirements: never) => facilitator.verify(payload, requirements),
    settle: (payload: never, requirements: never) => facilitator.settle(payload, requirements),
    getSupported: async () => facilitator.getSupported() as never,
  } as never).register(network, batch);
  const token = world.deployment.usdx;
  const amount = (value: bigint) => ({ asset: token, amount: value.toString(), extra: { name: 'y2c Dollar', version: '1' } });
  const app = express();
  // A hostile seller on the official middleware: on /inflated it reports charging five times its price
  // (and a running total to match) in PAYMENT-RESPONSE.
  app.use('/inflated', (_req, res, next) => {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: string | number | readonly string[]) => {
      if (name.toLowerCase() !== 'payment-response') return setHeader(name, value);
      const settled = JSON.parse(Buffer.from(String(value), 'base64').toString()) as { extra?: { chargedAmount?: string; channelState?: { chargedCumulativeAmount?: string } } };
      const honest = BigInt(settled.extra?.chargedAmount ?? '0');
      const cumulative = settled.extra?.channelState?.chargedCumulativeAmount;
      settled.extra = {
        ...settled.extra,
        chargedAmount: (5n * price).toString(),
        ...(cumulative !== undefined ? { channelState: { ...settled.extra?.channelState, chargedCumulativeAmount: (BigInt(cumulative) - honest + 5n * price).toString() } } : {}),
      };
      return setHeader(name, Buffer.from(JSON.stringify(settled)).toString('base64'));
    }) as typeof res.setHeader;
    next();
  });
  app.use(
    paymentMiddleware(
      {
        'GET /answer': { accepts: [{ scheme: 'batch-settlement', network, payTo: seller.address, price: amount(price) }], description: 'an answer' },
        'GET /dear': { accepts: [{ scheme: 'batch-settlement', network, payTo: seller.address, price: amount(50_000n) }], description: 'a dear answer' },
        'GET /elsewhere': { accepts: [{ scheme: 'batch-settlement', network, payTo: stranger.address, price: amount(price) }], description: 'paid to someone else' },
        'GET /inflated': { accepts: [{ scheme: 'batch-settlement', network, payTo: seller.address, price: amount(price) }], description: 'an answer whose charge is overstated' },
      },
      resourceServer,
    ) as never,
  );
  app.get('/answer', (_req, res) => void res.json({ answer: 42 }));
  app.get('/dear', (_req, res) => void res.json({ answer: 43 }));
  app.get('/elsewhere', (_req, res) => void res.json({ answer: 44 }));
  app.get('/inflated', (_req, res) => void res.json({ answer: 45 }));
  void publicClient;
  const listening = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return listening;
}

const channelBalance = async (config: X402ChannelConfig) => {
  const [balance] = (await world.publicClient.readContract({ address: x402BatchSettlementAddress, abi: x402BatchSettlementAbi, functionName: 'channels', args: [computeChannelId(config, network)] })) as readonly bigint[];
  return balance!;
};
const tbaUsdx = () => world.publicClient.readContract({ address: world.deployment.usdx, abi: usdxAbi, functionName: 'balanceOf', args: [world.deployment.agent.tba] });
const x402Deposits = () => memory.ledger.listRecent(100, 'x402_deposit');

/** Every voucher total the agent signed for the seller's channel (all `buyer()`s share it). */
const signedTotals: bigint[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const header = request.headers.get('payment-signature');
  if (header && request.url.startsWith(origin)) {
    signedTotals.push(BigInt((JSON.parse(Buffer.from(header, 'base64').toString()) as { payload: { voucher: { maxClaimableAmount: string } } }).payload.voucher.maxClaimableAmount));
  }
  return fetch(request);
};

const buyer = (options: { trusted?: Address[]; perRequest?: bigint; store?: CreateSqlitePayingStoreReturnType } = {}) =>
  createPayingFetch({
    fetch: recordingFetch,
    account: loadSessionKey({ path: world.devnet.sessionKeyPath }),
    channel: async () => {
      throw new Error('no y2c channel in this test');
    },
    caps: { perRequest: options.perRequest ?? 10_000n, daily: 1_000_000n },
    store: options.store ?? store,
    x402: {
      origins: [origin],
      trustedSellers: options.trusted ?? [seller.address],
      payer: world.deployment.agent.tba,
      sessionKey: loadSessionKey({ path: world.devnet.sessionKeyPath }),
      token: world.deployment.usdx,
      chainId: 31337,
      publicClient: world.publicClient,
      deposit: async ({ channel, amount }) => void (await guard.execute({ action: 'x402_deposit', channel, amount }, { reason: 'x402 purchase', origin: 'llm' })),
    },
  });

beforeAll(async () => {
  world = await startAgentWorld({ userop: true, owner: 'eoa' });
  memory = world.openMemory();
  store = createSqlitePayingStore({ path: join(world.dir, 'paying.db') });
  const owner = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: devAccount(devRoles.owner).account, pollingInterval: 100 }).extend(publicActions);
  await deployX402({ publicClient: owner as unknown as PublicClient, walletClient: owner });
  const confirm = async (hash: `0x${string}`) => expect((await owner.waitForTransactionReceipt({ hash })).status).toBe('success');
  // The TBA earns its budget the real way: a month of yield, harvested by the session key.
  await world.warp(30 * 86_400);
  await createGuardedExecutor({ wallet: world.wallet, publicClient: world.publicClient, deployment: world.deployment, memory, policy: world.policy({ allowedActions: ['harvest'] }) }).execute({ action: 'harvest' }, { reason: 'fund the test', origin: 'policy' });
  expect(await tbaUsdx()).toBeGreaterThan(100_000n);
  // The owner grants the session the x402 scope: deposit into the escrow, only as payer = TBA, authorizer = key, receiver = the trusted seller.
  const key = loadSessionKey({ path: world.devnet.sessionKeyPath }).address;
  const now = Number((await world.publicClient.getBlock()).timestamp);
  const since = Math.min(now, Math.floor(Date.now() / 1000));
  const policy = agentSessionPolicy({
    sessionKey: key,
    vault: world.deployment.agent.vault,
    token: world.deployment.usdx,
    computeMarket: world.deployment.computeMarket,
    trustedProviders: [world.provider],
    tokenBudgetPerPeriod: 100_000_000n,
    nativeBudgetPerPeriod: parseEther('0.05'),
    maxCallsPerPeriod: 500,
    validAfter: since - 60,
    validUntil: now + 30 * 86_400,
    x402: { escrow: x402BatchSettlementAddress, trustedSellers: [seller.address, world.provider] },
  });
  await confirm(await owner.writeContract({ address: world.deployment.agent.tba, abi: agentAccountAbi, functionName: 'grantSession', args: [key, policy] }));
  guard = createGuardedExecutor({ wallet: world.wallet, publicClient: world.publicClient, deployment: world.deployment, memory, policy: world.policy({ allowedActions: ['x402_deposit'], trustedX402Sellers: [seller.address, world.provider] }) });
  server = await startSeller(world.publicClient);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await node?.stop({ settle: false });
  await model?.stop();
  await new Promise((resolve) => server?.close(resolve));
  store?.close();
  memory?.close();
  await world?.stop();
});

describe('the agent pays an official x402 seller', () => {
  it('refuses an untrusted seller before anything is deposited or signed', async () => {
    const before = await tbaUsdx();
    await expect(buyer({ trusted: [stranger.address] })(`${origin}/answer`)).rejects.toThrow(ProviderUntrustedError);
    expect(await tbaUsdx()).toBe(before);
    expect(x402Deposits()).toHaveLength(0);
  });

  it('refuses a price above the per-request cap and deposits nothing', async () => {
    const before = await tbaUsdx();
    await expect(buyer()(`${origin}/dear`)).rejects.toThrow(PerRequestCapExceededError);
    expect(await tbaUsdx()).toBe(before);
    expect(x402Deposits()).toHaveLength(0);
  });

  it('refuses a seller asking another receiver than the allowlisted one, in the fetch, the guard and the session policy', async () => {
    const before = await tbaUsdx();
    await expect(buyer()(`${origin}/elsewhere`)).rejects.toThrow(ProviderUntrustedError);
    expect(x402Deposits()).toHaveLength(0);
    const channel: X402ChannelConfig = {
      payer: world.deployment.agent.tba,
      payerAuthorizer: world.wallet.sessionKey,
      receiver: stranger.address,
      receiverAuthorizer: stranger.address,
      token: world.deployment.usdx,
      withdrawDelay: 3_600,
      salt: `0x${'11'.repeat(32)}`,
    };
    await expect(guard.check({ action: 'x402_deposit', channel, amount: 10_000n })).rejects.toThrow(UntrustedProviderError);
    // Past the code: the key's on-chain policy refuses the receiver (argument rule on ABI word 2).
    const deposit = encodeFunctionData({ abi: x402BatchSettlementAbi, functionName: 'deposit', args: [channel, 10_000n, zeroAddress, '0x'] });
    const approve = encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [x402BatchSettlementAddress, 10_000n] });
    await expect(world.wallet.sendCalls([{ to: world.deployment.usdx, data: approve }, { to: x402BatchSettlementAddress, data: deposit }], 'x402_deposit')).rejects.toThrow(PolicyViolationError);
    expect(await channelBalance(channel)).toBe(0n);
    expect(await tbaUsdx()).toBe(before);
  });

  it('deposits once through the guarded executor and pays each request with a session-key voucher', async () => {
    const before = await tbaUsdx();
    const fetcher = buyer();
    const responses = [];
    for (let i = 0; i < 3; i += 1) responses.push(await fetcher(`${origin}/answer`));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ answer: 42 });
    }
    const deposits = x402Deposits();
    expect(deposits).toHaveLength(1);
    expect(deposits[0]).toMatchObject({ status: 'confirmed', amount: 10n * price });
    const channel = {
      payer: world.deployment.agent.tba,
      payerAuthorizer: world.wallet.sessionKey,
      receiver: seller.address,
      receiverAuthorizer: seller.address,
      token: world.deployment.usdx,
      withdrawDelay: 3_600,
      salt: (deposits[0]!.params as { channel: { salt: `0x${string}` } }).channel.salt,
    };
    expect(await channelBalance(channel)).toBe(10n * price);
    expect(await tbaUsdx()).toBe(before - 10n * price);
    // Booked at what the seller charged (its price here), against the same daily cap as y2c vouchers.
    expect(await store.costSince(0)).toBe(3n * price);
    // A crash between sending and journaling: the intent is reconciled from the escrow's Deposited event
    // (so the daily deposit budget still counts it), not marked failed.
    const orphan = memory.ledger.recordIntent({ kind: 'x402_deposit', reason: 'crashed', params: { channel, fromBlock: 0n }, amount: 10n * price });
    const reconciled = await reconcileLedger({ publicClient: world.publicClient, deployment: world.deployment, memory });
    expect(reconciled.find((entry) => entry.id === orphan)).toMatchObject({ outcome: 'reconciled', txHash: deposits[0]!.txHash });
  });

  it('refuses an exact-only offer with a clear reason', async () => {
    const exactOnly = express();
    exactOnly.get('/x', (_req, res) => {
      const required = { x402Version: 2, resource: { url: '/x' }, accepts: [{ scheme: 'exact', network, amount: '1', asset: world.deployment.usdx, payTo: seller.address, maxTimeoutSeconds: 60, extra: {} }] };
      res.status(402).set('PAYMENT-REQUIRED', Buffer.from(JSON.stringify(required)).toString('base64')).json({});
    });
    const s = await new Promise<Server>((resolve) => {
      const l = exactOnly.listen(0, '127.0.0.1', () => resolve(l));
    });
    const o = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    try {
      const fetcher = createPayingFetch({
        account: loadSessionKey({ path: world.devnet.sessionKeyPath }),
        channel: async () => 0n,
        caps: { perRequest: 10_000n, daily: 1_000_000n },
        store,
        x402: { origins: [o], trustedSellers: [seller.address], payer: world.deployment.agent.tba, sessionKey: loadSessionKey({ path: world.devnet.sessionKeyPath }), token: world.deployment.usdx, chainId: 31337, publicClient: world.publicClient, deposit: async () => undefined },
      });
      await expect(fetcher(`${o}/x`)).rejects.toThrow(X402OfferRefusedError);
      await expect(fetcher(`${o}/x`)).rejects.toThrow(/ERC-3009/);
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('buy_x402_service buys from an allowlisted service through the paying fetch and refuses any other URL unsent', async () => {
    const seen: string[] = [];
    const paying = buyer();
    const fetcher: typeof fetch = async (input, init) => {
      seen.push(String(input));
      return paying(input, init);
    };
    const buy = createBuyX402ServiceTool({ fetch: fetcher, services: [{ name: 'answers', url: `${origin}/answer` }] });
    const spentBefore = await store.costSince(0);
    const { content, artifact } = await invokeTool(buy, { url: `${origin}/answer` });
    expect(content).toContain('"answer":42');
    expect(artifact.status).toBe(200);
    expect(await store.costSince(0)).toBe(spentBefore + price);
    const { content: refused, artifact: why } = await invokeTool(buy, { url: `${origin}/elsewhere` });
    expect(refused).toMatch(/^Refused:/);
    expect(why.error).toBe('X402ServiceNotAllowedError');
    expect(seen).toEqual([`${origin}/answer`]);
  });

  it('the brain thinks through a y2c provider over x402: the OpenAI client with the paying fetch, batch-settlement, session-key vouchers', async () => {
    model = await startScriptedModel({ replies: () => ({ content: 'thought over x402' }) });
    const providerClient = createWalletClient({ chain: foundry, transport: http(world.devnet.anvil.rpcUrl), account: devAccount(devRoles.provider).account, pollingInterval: 100 });
    node = await startProvider({
      client: providerClient,
      market: world.deployment.computeMarket,
      backend: createOpenAiBackend({ baseUrl: model.url, models: { scripted: 'scripted' } }),
      priceInPerMTok: 500_000n,
      priceOutPerMTok: 1_500_000n,
      defaultMaxTokens: 64n,
      databasePath: join(world.dir, 'provider.db'),
      settleIntervalMs: 3_600_000,
      x402: { token: world.deployment.usdx, tokenName: 'y2c Dollar', tokenVersion: '1', storageDir: join(world.dir, 'x402-provider'), claimIntervalSecs: 3_600, withdrawDelay: 3_600 },
    });
    const fetcher = createPayingFetch({
      account: loadSessionKey({ path: world.devnet.sessionKeyPath }),
      channel: async () => {
        throw new Error('the y2c voucher path must not be used for an x402 origin');
      },
      caps: { perRequest: 10_000n, daily: 1_000_000n },
      store,
      x402: {
        origins: [node.origin],
        trustedSellers: [world.provider],
        payer: world.deployment.agent.tba,
        sessionKey: loadSessionKey({ path: world.devnet.sessionKeyPath }),
        token: world.deployment.usdx,
        chainId: 31337,
        publicClient: world.publicClient,
        deposit: async ({ channel, amount }) => void (await guard.execute({ action: 'x402_deposit', channel, amount }, { reason: 'brain over x402', origin: 'policy' })),
      },
    });
    const openai = new OpenAI({ baseURL: node.url, apiKey: 'unused', fetch: fetcher });
    const spentBefore = await store.costSince(0);
    for (let i = 0; i < 2; i += 1) {
      const completion = await openai.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'think' }], max_tokens: 16 });
      expect(completion.choices[0]?.message.content).toBe('thought over x402');
    }
    const spent = (await store.costSince(0)) - spentBefore;
    // Booked at the metered cost the provider charged: more than nothing, at most two maximum costs.
    expect(spent).toBeGreaterThan(0n);
    const bound = maxCost({ messages: [{ role: 'user', content: 'think' }], max_tokens: 16 }, { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n, defaultMaxTokens: 64n }).cost;
    expect(spent).toBeLessThanOrEqual(2n * bound);
    expect(x402Deposits().filter((entry) => (entry.params as { channel: { receiver: string } }).channel.receiver.toLowerCase() === world.provider.toLowerCase())).toHaveLength(1);
  });

  it('a seller inflating chargedAmount above what the voucher allowed is booked at the voucher, marked untrusted and never paid again', async () => {
    const own = createSqlitePayingStore({ path: join(world.dir, 'paying-inflated.db') });
    const highestBefore = signedTotals.reduce((a, b) => (b > a ? b : a), 0n);
    const signedBefore = signedTotals.length;
    try {
      const fetcher = buyer({ store: own });
      const response = await fetcher(`${origin}/inflated`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ answer: 45 });
      // Booked at what the voucher allowed (the price), never at the seller's 5x figure.
      expect(await own.costSince(0)).toBe(price);
      expect(await own.untrusted(seller.address)).toMatch(/charged 5000, above its price of 1000/);
      // The next purchase is refused before anything is signed.
      const vouchers = signedTotals.length;
      await expect(fetcher(`${origin}/inflated`)).rejects.toThrow(ProviderUntrustedError);
      await expect(fetcher(`${origin}/answer`)).rejects.toThrow(ProviderUntrustedError);
      expect(signedTotals).toHaveLength(vouchers);
      expect(await own.costSince(0)).toBe(price);
      // No voucher carries the overstated figure: at most one price above the highest total signed before.
      expect(signedTotals.length).toBeGreaterThan(signedBefore);
      for (const total of signedTotals.slice(signedBefore)) expect(total).toBeLessThanOrEqual(highestBefore + price);
    } finally {
      own.close();
    }
  });
});
