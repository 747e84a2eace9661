/**
 * Test world for the chat channel: the real devnet (anvil, contracts, agent, vault with the demo
 * stakers), two days of yield, a real provider node registered in the market serving the scripted
 * model, a channel paid by vouchers, the agent's memory on disk, and the chat server in front.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestClient, createWalletClient, http, parseEventLogs, parseUnits, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { startDevnet, type StartDevnetReturnType } from '../../devnet/startDevnet.js';
import type { PassConfig } from '../../config/types.js';
import { openAgentMemory, type OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { createOpenAiBackend } from '../../provider/backends/createOpenAiBackend.js';
import { registerProvider } from '../../provider/register/registerProvider.js';
import { startProvider, type StartProviderReturnType } from '../../provider/startProvider.js';
import { createPayingFetch } from '../../tools/compute/createPayingFetch.js';
import { createSqlitePayingStore, type CreateSqlitePayingStoreReturnType } from '../../tools/compute/createSqlitePayingStore.js';
import { createChatServer, type CreateChatServerReturnType, type CreateChatServerParameters } from '../../agent/chat/createChatServer.js';
import { createOpenAiResponder } from '../../agent/chat/createOpenAiResponder.js';
import { createCostMeter } from '../../agent/brain/createCostMeter.js';
import { startScriptedModel, type StartScriptedModelReturnType } from '../fixtures/scriptedModel.js';

/** The running world. */
export type ChatWorld = {
  dir: string;
  devnet: StartDevnetReturnType;
  rpcUrl: string;
  memory: OpenAgentMemoryReturnType;
  model: StartScriptedModelReturnType;
  provider: StartProviderReturnType;
  payingStore: CreateSqlitePayingStoreReturnType;
  channelId: bigint;
  /** The paying fetch on the channel (vouchers signed by the test signer). */
  payingFetch: typeof fetch;
  /** The cost meter the paying fetch records into. */
  meter: ReturnType<typeof createCostMeter>;
  /** Starts another chat server on the same world (another pass, limits…). */
  serve: (overrides?: Partial<CreateChatServerParameters>) => Promise<CreateChatServerReturnType>;
  /** The default server (stake pass, min stake 1 USDx). */
  server: CreateChatServerReturnType;
  /** Moves chain time forward and mines. */
  warp: (seconds: number) => Promise<void>;
  /** The provider's spent on the channel, from its ledger. */
  providerSpent: () => Promise<bigint>;
  stop: () => Promise<void>;
};

/** The demo stakers: dev accounts 4, 5, 6 with 1000, 2500, 5000 USDx. */
export const demoStaker = (i: 0 | 1 | 2) => devAccount(devRoles.firstStaker + i);

/**
 * Starts the world.
 *
 * @param options Extra server parameters and a web root.
 * @returns Handles and `stop()`.
 */
export async function startChatWorld(options: { webRoot?: string; pass?: PassConfig } = {}): Promise<ChatWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'y2c-chat-'));
  // The chat tests use the agent NFT as an ERC-721 pass held by dev account 0: a single-owner world.
  const devnet = await startDevnet({ dataDir: dir, bundler: false, persist: false, owner: 'eoa', ethVault: false });
  const rpcUrl = devnet.anvil.rpcUrl;
  const chain = { ...foundry, id: devnet.anvil.chainId };
  const testClient = createTestClient({ chain, mode: 'anvil', transport: http(rpcUrl) });
  const warp = async (seconds: number) => {
    await testClient.increaseTime({ seconds });
    await testClient.mine({ blocks: 1 });
  };
  await warp(2 * 86_400);

  const memory = openAgentMemory(join(dir, 'agent.db'));
  const model = await startScriptedModel({
    models: ['scripted'],
    replies: (request) => {
      const last = request.messages.at(-1);
      const said = typeof last?.content === 'string' ? last.content : '';
      // A message that asks for it streams slowly, so a test can cut the reply off mid-stream.
      return { content: `You said: ${said}. Yield pays for this reply.`, chunkDelayMs: said.startsWith('slowly') ? 150 : 5 };
    },
  });
  const providerWallet = createWalletClient({ chain, transport: http(rpcUrl), account: devAccount(devRoles.provider).account, pollingInterval: 100 });
  const market = devnet.deployment.computeMarket;
  const prices = { priceInPerMTok: 500_000n, priceOutPerMTok: 1_500_000n };
  await registerProvider(providerWallet, { market, endpoint: 'http://127.0.0.1/v1', ...prices, models: ['y2c-chat'] });
  const provider = await startProvider({
    client: providerWallet,
    market,
    backend: createOpenAiBackend({ baseUrl: model.url, models: { 'y2c-chat': 'scripted' } }),
    ...prices,
    defaultMaxTokens: 64n,
    databasePath: join(dir, 'provider.db'),
    settleIntervalMs: 3_600_000,
  });

  // The payer stands in for the agent's account; the channel signer for its session key.
  const payer = createWalletClient({ chain, transport: http(rpcUrl), account: devAccount(9).account, pollingInterval: 100 });
  const signer = privateKeyToAccount(generatePrivateKey());
  const wait = async (hash: Hex) => {
    const receipt = await devnet.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error(`tx ${hash} reverted`);
    return receipt;
  };
  const deposit = parseUnits('5', 6);
  await wait(await payer.writeContract({ address: devnet.deployment.usdx, abi: usdxAbi, functionName: 'faucet', args: [payer.account.address, deposit] }));
  await wait(await payer.writeContract({ address: devnet.deployment.usdx, abi: usdxAbi, functionName: 'approve', args: [market, deposit] }));
  const receipt = await wait(
    await payer.writeContract({ address: market, abi: computeMarketAbi, functionName: 'open', args: [provider.address, signer.address, deposit] }),
  );
  const [opened] = parseEventLogs({ abi: computeMarketAbi, logs: receipt.logs, eventName: 'ChannelOpened' });
  if (!opened) throw new Error('no ChannelOpened event');
  const channelId = opened.args.channelId;
  memory.ledger.markConfirmed(memory.ledger.recordIntent({ kind: 'open_channel', reason: 'test world: first channel to the local provider', amount: deposit }), {
    txHash: receipt.transactionHash,
    amount: deposit,
  });
  memory.channels.upsert({ channelId, provider: provider.address, signer: signer.address, deposit, status: 'open' });

  const payingStore = createSqlitePayingStore({ path: join(dir, 'paying.db') });
  const store = {
    ...payingStore,
    // The dashboard reads spend per provider from the agent's calls table.
    recordCall: (call: Parameters<typeof payingStore.recordCall>[0]) => {
      payingStore.recordCall(call);
      memory.calls.record({ provider: call.provider, channelId: call.channelId, model: call.model, cost: call.cost, latencyMs: 1, ok: true });
      memory.channels.recordSpent(call.channelId, call.spent);
    },
  };
  // The meter charges each reply what its paid calls cost, aborted streams included.
  const meter = createCostMeter({ store });
  const payingFetch = createPayingFetch({
    account: signer,
    channel: async () => channelId,
    caps: { perRequest: 100_000n, daily: 5_000_000n },
    store: meter.store,
    market,
    chainId: chain.id,
  });
  const responder = createOpenAiResponder({ baseUrl: provider.url, model: 'y2c-chat', fetch: payingFetch, maxTokens: 64, system: 'You are y2c.', meter });
  const agent = devnet.deployment.agent;
  const servers: CreateChatServerReturnType[] = [];
  const serve = async (overrides: Partial<CreateChatServerParameters> = {}) => {
    const server = await createChatServer({
      client: devnet.publicClient,
      chainId: chain.id,
      vault: agent.vault,
      token: devnet.deployment.usdx,
      agent: agent.tba as Address,
      pass: options.pass ?? { kind: 'stake', minStake: parseUnits('1', 6) },
      memory,
      responder,
      aprBps: () => 500,
      devnetRpcUrl: rpcUrl,
      ...(options.webRoot ? { webRoot: options.webRoot } : {}),
      ...overrides,
    });
    servers.push(server);
    return server;
  };
  const server = await serve();
  return {
    dir,
    devnet,
    rpcUrl,
    memory,
    model,
    provider,
    payingStore,
    channelId,
    payingFetch,
    meter,
    serve,
    server,
    warp,
    providerSpent: async () => BigInt(((await (await fetch(`${provider.origin}/y2c/channels/${channelId}`)).json()) as { spent: string }).spent),
    stop: async () => {
      for (const s of servers) await s.close();
      await provider.stop({ settle: false });
      await model.stop();
      payingStore.close();
      memory.close();
      await devnet.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
