import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWalletClient, http, parseEther, type Account } from 'viem';
import { foundry } from 'viem/chains';
import { runConversion } from '../../agent/jobs/runConversion.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { setPrice } from '../../chain/conversion/setPrice.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { stakeEth } from '../../chain/vault/stakeEth.js';
import { loadSessionKey } from '../../chain/wallet/loadSessionKey.js';
import { openAgentMemory, type OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { startTestDevnet, type TestDevnet } from '../fixtures/startTestDevnet.js';

let devnet: TestDevnet;
let memory: OpenAgentMemoryReturnType;

beforeAll(async () => {
  devnet = await startTestDevnet({ bundler: false, ethVault: true });
  memory = openAgentMemory(join(mkdtempSync(join(tmpdir(), 'y2c-conv-')), 'agent.db'));
});

afterAll(async () => {
  memory?.db.close();
  await devnet?.dispose();
});

const wallet = (account: Account) =>
  createWalletClient({ chain: foundry, transport: http(devnet.anvil.rpcUrl), account, pollingInterval: 100 });

async function warpDays(days: number): Promise<void> {
  await devnet.publicClient.request({ method: 'evm_increaseTime' as never, params: [days * 86_400] as never });
  await devnet.publicClient.request({ method: 'evm_mine' as never, params: [] as never });
}

// Issue 13: the daemon's conversion job turns the ETH vault's yield into USDx for the TBA, records it
// in the ledger with the price used, and waits (nothing moved, a failed entry) on a stale oracle.
describe('runConversion (the conversion job)', () => {
  it('converts a year of ETH yield into USDx for the TBA, records it, then waits on a stale oracle', async () => {
    const { publicClient, deployment } = devnet;
    const eth = deployment.eth;
    if (!eth) throw new Error('no ETH vault');
    const sessionKey = loadSessionKey({ path: devnet.sessionKeyPath });
    const walletClient = wallet(sessionKey);
    const owner = wallet(devAccount(devRoles.owner).account);
    await stakeEth({ publicClient, walletClient: wallet(devAccount(devRoles.firstStaker + 3).account) }, { gateway: eth.gateway, vault: eth.vault, amount: parseEther('1') });

    expect((await runConversion({ publicClient, walletClient, deployment, memory })).status).toBe('none');
    await warpDays(1); // a day of 3% on 1 ETH (~0.00008 ETH) is not worth 10x the gas
    expect((await runConversion({ publicClient, walletClient, deployment, memory })).status).toBe('below_threshold');

    await warpDays(365);
    await setPrice({ publicClient, walletClient: owner }, { feed: eth.priceFeed, price: '3000' });
    const tba = () => publicClient.readContract({ address: deployment.usdx, abi: usdxAbi, functionName: 'balanceOf', args: [deployment.agent.tba] });
    const before = await tba();
    const converted = await runConversion({ publicClient, walletClient, deployment, memory });
    if (converted.status !== 'converted') throw new Error(`expected a conversion, got ${converted.status}`);
    expect(converted.amountIn).toBeGreaterThan(parseEther('0.029'));
    expect(converted.price).toBe(3000_00000000n);
    expect((await tba()) - before).toBe(converted.amountOut);
    const entry = memory.ledger.get(converted.ledgerId);
    expect(entry).toMatchObject({ kind: 'conversion', status: 'confirmed', amount: converted.amountOut });
    expect(BigInt(entry?.params.minOut as string)).toBeLessThanOrEqual(converted.amountOut);
    expect(Number(converted.amountOut)).toBeGreaterThan(0.99 * Number(entry?.params.oracleOut));

    await warpDays(60); // the feed is now two months old
    const afterFirst = await tba();
    const waiting = await runConversion({ publicClient, walletClient, deployment, memory });
    expect(waiting).toMatchObject({ status: 'waiting', reason: 'stale_oracle' });
    expect(await tba()).toBe(afterFirst);
  });
});
