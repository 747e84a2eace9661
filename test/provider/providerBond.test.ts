/**
 * Issue 16 item 4 on the devnet: a bonded provider serves honestly (signed receipts, kept by the paying
 * client); a payer's false accusation (an older receipt) is answered by the node itself; then the
 * provider redeems the whole voucher above the last spent it signed, the payer accuses it with its
 * latest receipt, the node cannot answer, and its bond is slashed to the payer.
 */
import OpenAI from 'openai';
import { createTestClient, erc20Abi, http } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import type { StartProviderReturnType } from '../../provider/startProvider.js';
import type { CreateSqlitePayingStoreReturnType } from '../../tools/compute/createSqlitePayingStore.js';
import { accuseOverRedemption } from '../../tools/compute/accuseOverRedemption.js';
import { createPayingFetch } from '../../tools/compute/createPayingFetch.js';
import type { StartScriptedModelReturnType } from '../fixtures/scriptedModel.js';
import { paidProviderTerms, startPaidProvider, type StartPaidProviderReturnType } from '../fixtures/startPaidProvider.js';
import type { StartMarketReturnType } from '../fixtures/startMarket.js';

const terms = paidProviderTerms;
const bond = 50_000_000n;
let world: StartPaidProviderReturnType;
let m: StartMarketReturnType;
let model: StartScriptedModelReturnType;
let node: StartProviderReturnType;
let store: CreateSqlitePayingStoreReturnType;

/** The rogue provider registers with a bond, before its node starts. */
async function registerRogueWithBond(m: StartMarketReturnType): Promise<void> {
  const mint = await m.deployer.writeContract({ address: m.token, abi: usdxAbi, functionName: 'mint', args: [m.rogue.account.address, bond] });
  await m.deployer.waitForTransactionReceipt({ hash: mint });
  const approve = await m.rogue.writeContract({ address: m.token, abi: erc20Abi, functionName: 'approve', args: [m.market, bond] });
  await m.rogue.waitForTransactionReceipt({ hash: approve });
  const register = await m.rogue.writeContract({
    address: m.market,
    abi: computeMarketAbi,
    functionName: 'registerProviderWithBond',
    args: ['http://127.0.0.1:1/v1', terms.priceInPerMTok, terms.priceOutPerMTok, ['scripted'], '{}', bond],
  });
  expect((await m.rogue.waitForTransactionReceipt({ hash: register })).status).toBe('success');
}

beforeAll(async () => {
  world = await startPaidProvider({ provider: (market) => market.rogue, prepare: registerRogueWithBond });
  ({ m, model, node, store } = world);
});

afterAll(async () => {
  await world?.stop();
});

describe('bonds on the devnet', () => {
  it('a provider that redeems beyond the last spent it signed loses its bond to the payer', async () => {
    expect((await m.payer.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'bondOf', args: [m.rogue.account.address] })).bonded).toBe(bond);
    let channelId: bigint | undefined;
    const fetch = createPayingFetch({
      account: m.signer,
      channel: async ({ info }) => (channelId ??= await m.openChannel({ provider: info.provider, amount: 1_000_000n })),
      caps: { perRequest: 10_000n, daily: 1_000_000n },
      store,
      market: m.market,
      chainId: m.chain.id,
    });
    const client = new OpenAI({ baseURL: node.url, apiKey: 'unused', fetch, maxRetries: 0 });
    model.push({ content: 'one honest answer' }, { content: 'and a streamed one' });
    await client.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'first' }], max_tokens: 20 });
    const stream = await client.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'second' }], stream: true });
    for await (const _ of stream) void _;
    const id = channelId!;
    // The paying client verified and kept both receipts: a chain 0 → s1 → s2, s2 the provider's spent.
    const receipts = store.receipts(id);
    expect(receipts).toHaveLength(2);
    expect(receipts[0]!.spentAfter - receipts[0]!.cost).toBe(0n);
    expect(receipts[1]!.spentAfter - receipts[1]!.cost).toBe(receipts[0]!.spentAfter);
    const latest = receipts[1]!;
    const ledger = await node.store.channel(id);
    expect(ledger.spent).toBe(latest.spentAfter);

    // An honest redemption (exactly the last signed spent) cannot be accused.
    const honest = await node.settler.settle([id]);
    expect(honest.redeemed).toEqual([expect.objectContaining({ channelId: id, amount: latest.spentAfter })]);
    await expect(accuseOverRedemption(m.payer, { market: m.market, receipt: latest })).rejects.toThrow();
    // A false accusation: the payer hides its latest receipt and shows the first. The node answers on its own
    // with the latest receipt it signed; the accusation closes and nothing can be slashed.
    await accuseOverRedemption(m.payer, { market: m.market, receipt: receipts[0]! });
    let open = true;
    for (let i = 0; i < 100 && open; i++) {
      const [, pending] = await m.payer.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'accusationOf', args: [id] });
      open = pending !== 0n;
      if (open) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(open).toBe(false);
    await expect(m.payer.writeContract({ address: m.market, abi: computeMarketAbi, functionName: 'slashOverRedemption', args: [id] })).rejects.toThrow(/ComputeMarket_AccusationState/);

    // The lie: the provider's key redeems the whole voucher, above the spent it signed.
    expect(ledger.authorized).toBeGreaterThan(latest.spentAfter);
    const lie = await m.rogue.writeContract({ address: m.market, abi: computeMarketAbi, functionName: 'redeem', args: [id, ledger.authorized, ledger.authorized, ledger.signature!] });
    expect((await m.rogue.waitForTransactionReceipt({ hash: lie })).status).toBe('success');

    // The payer accuses with its latest receipt; the provider has no receipt continuing the chain to what it took.
    await accuseOverRedemption(m.payer, { market: m.market, receipt: latest });
    const [accused, deadline] = await m.payer.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'accusationOf', args: [id] });
    expect(accused).toBe(latest.spentAfter);
    await expect(
      m.payer.writeContract({ address: m.market, abi: computeMarketAbi, functionName: 'slashOverRedemption', args: [id] }),
    ).rejects.toThrow(/ComputeMarket_ResponseWindow/);
    await createTestClient({ mode: 'anvil', chain: m.chain, transport: http(m.anvil.rpcUrl) }).setNextBlockTimestamp({ timestamp: deadline + 1n });
    const balanceBefore = await m.payer.readContract({ address: m.token, abi: erc20Abi, functionName: 'balanceOf', args: [m.payer.account.address] });
    const slash = await m.payer.writeContract({ address: m.market, abi: computeMarketAbi, functionName: 'slashOverRedemption', args: [id] });
    const mined = await m.payer.waitForTransactionReceipt({ hash: slash });
    expect(mined.status).toBe('success');
    const balanceAfter = await m.payer.readContract({ address: m.token, abi: erc20Abi, functionName: 'balanceOf', args: [m.payer.account.address] });
    expect(balanceAfter - balanceBefore).toBe(bond);
    expect((await m.payer.readContract({ address: m.market, abi: computeMarketAbi, functionName: 'bondOf', args: [m.rogue.account.address] })).bonded).toBe(0n);
  });
});
