import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient, createWalletClient, http, parseUnits, type Address, type Hex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { susdxAbi } from '../../chain/abi/generated/susdx.js';
import { readSavedBlock } from '../../devnet/readSavedBlock.js';
import { unstake } from '../../chain/vault/unstake.js';
import { openAgentMemory } from '../../memory/openAgentMemory.js';
import { reconcileLedger } from '../../guard/reconcileLedger.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { devAccount } from '../../devnet/devAccounts.js';
import { stake } from '../../chain/vault/stake.js';
import { startTestDevnet, type TestDevnet } from '../fixtures/startTestDevnet.js';

// anvil funds dev accounts 0-9; 4-6 are the demo stakers.
const staker = devAccount(7).account;

/** Balances and stakes that a restart must keep. */
async function ledger(devnet: TestDevnet) {
  const { publicClient, deployment } = devnet;
  const read = publicClient.readContract;
  const holders: Address[] = [staker.address, deployment.agent.tba, deployment.agent.vault];
  return {
    usdx: await Promise.all(holders.map((a) => read({ address: deployment.usdx, abi: usdxAbi, functionName: 'balanceOf', args: [a] }))),
    eth: await Promise.all(holders.map((a) => publicClient.getBalance({ address: a }))),
    principal: await read({ address: deployment.agent.vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [staker.address] }),
    totalPrincipal: await read({ address: deployment.agent.vault, abi: yieldVaultAbi, functionName: 'totalPrincipal' }),
    stakers: await read({ address: deployment.agent.vault, abi: yieldVaultAbi, functionName: 'stakerCount' }),
    nonce: await publicClient.getTransactionCount({ address: staker.address }),
  };
}

let first: TestDevnet;
let second: TestDevnet | undefined;
let before: Awaited<ReturnType<typeof ledger>>;

beforeAll(async () => {
  first = await startTestDevnet({ persist: true, bundler: false });
  const walletClient = createWalletClient({ chain: foundry, transport: http(first.anvil.rpcUrl), account: staker, pollingInterval: 100 });
  await stake(
    { publicClient: first.publicClient, walletClient },
    { vault: first.deployment.agent.vault, asset: first.deployment.usdx, amount: parseUnits('321.5', 6), useFaucet: true },
  );
  before = await ledger(first);
  await first.dispose({ keep: true });
});

afterAll(async () => {
  await second?.dispose();
  await first?.dispose();
});

describe('a restart against the same dataDir', () => {
  it('deploys everything the first time, nothing the second, and keeps every address and balance', async () => {
    expect(first.deployed).toContain('ERC6551Registry');
    expect(first.deployed).toContain('AgentAccount');
    expect(before.principal).toBe(parseUnits('321.5', 6));
    expect(before.stakers).toBe(4n);

    second = await startTestDevnet({ persist: true, bundler: false, dataDir: first.dataDir });
    expect(second.deployed).toEqual([]);
    expect(second.deployment).toEqual(first.deployment);
    expect(JSON.parse(readFileSync(join(first.dataDir, 'deployment.json'), 'utf8'))).toEqual(first.deployment);
    const after = await ledger(second);
    // Time moved on, so yield accrued in sUSDx; the ledger of principal and balances did not move.
    expect(after).toEqual(before);
  });
});

const stakeFrom = (devnet: TestDevnet, amount: string, account = staker) =>
  stake(
    { publicClient: devnet.publicClient, walletClient: createWalletClient({ chain: foundry, transport: http(devnet.anvil.rpcUrl), account, pollingInterval: 100 }) },
    { vault: devnet.deployment.agent.vault, asset: devnet.deployment.usdx, amount: parseUnits(amount, 6), useFaucet: true },
  );

describe('chain time across restarts', () => {
  it('after a warp and a restart, time goes on from the last block and the world works: yield reads, stake, unstake', async () => {
    const warped = await startTestDevnet({ persist: true, bundler: false, lockPeriodSeconds: 86_400n });
    let restarted: TestDevnet | undefined;
    try {
      await stakeFrom(warped, '40');
      const testClient = createTestClient({ chain: foundry, mode: 'anvil', transport: http(warped.anvil.rpcUrl) });
      await testClient.increaseTime({ seconds: 30 * 86_400 });
      await testClient.mine({ blocks: 1 });
      const last = (await warped.publicClient.getBlock()).timestamp;
      expect(Number(last)).toBeGreaterThan(Date.now() / 1000 + 29 * 86_400);
      await warped.dispose({ keep: true });

      restarted = await startTestDevnet({ persist: true, bundler: false, dataDir: warped.dataDir, lockPeriodSeconds: 86_400n });
      const { publicClient, deployment } = restarted;
      // The yield source's time difference (now − last update) would underflow if time went back.
      expect(await publicClient.readContract({ address: deployment.susdx, abi: susdxAbi, functionName: 'totalAssets' })).toBeGreaterThan(0n);
      expect(await publicClient.readContract({ address: deployment.agent.vault, abi: yieldVaultAbi, functionName: 'pendingYield' })).toBeGreaterThan(0n);
      await stakeFrom(restarted, '1');
      const afterStake = (await publicClient.getBlock()).timestamp;
      expect(afterStake).toBeGreaterThan(last);
      // The 30 days passed on chain: the first stake's lock is over.
      const walletClient = createWalletClient({ chain: foundry, transport: http(restarted.anvil.rpcUrl), account: devAccount(8).account, pollingInterval: 100 });
      await stakeFrom(restarted, '5', devAccount(8).account);
      const restartedTest = createTestClient({ chain: foundry, mode: 'anvil', transport: http(restarted.anvil.rpcUrl) });
      await restartedTest.increaseTime({ seconds: 2 * 86_400 });
      await restartedTest.mine({ blocks: 1 });
      await unstake({ publicClient, walletClient }, { vault: deployment.agent.vault, amount: parseUnits('5', 6) });
      expect((await publicClient.getBlock()).timestamp).toBeGreaterThan(afterStake);
    } finally {
      await restarted?.dispose();
      await warped.dispose();
    }
  });
});

describe('kill -9', () => {
  it('keeps a stake killed -9 right after the state file held its block (what `y2c stake` waits for)', async () => {
    const crashed = await startTestDevnet({ persist: true, bundler: false });
    let restarted: TestDevnet | undefined;
    try {
      const principalBefore = await crashed.publicClient.readContract({ address: crashed.deployment.agent.vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [staker.address] });
      const { hash } = await stakeFrom(crashed, '77.25');
      const confirmedAt = Date.now();
      const { blockNumber } = await crashed.publicClient.getTransactionReceipt({ hash });
      // What `y2c stake` waits for before it prints: the state file holds the block.
      // (How fast the save lands is a figure for a bench, not a test: on a loaded machine it can take
      // over a second; the property is that once it has landed, kill -9 loses nothing.)
      while ((readSavedBlock(join(crashed.dataDir, 'anvil-state.json')) ?? -1n) < blockNumber) {
        if (Date.now() - confirmedAt > 30_000) throw new Error(`the state file never held block ${blockNumber}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      crashed.anvil.process.kill('SIGKILL');
      await new Promise((resolve) => crashed.anvil.process.once('exit', resolve).exitCode !== null && resolve(undefined));
      await crashed.dispose({ keep: true });

      restarted = await startTestDevnet({ persist: true, bundler: false, dataDir: crashed.dataDir });
      expect(await restarted.publicClient.getTransactionReceipt({ hash })).toMatchObject({ status: 'success', blockNumber });
      const principal = await restarted.publicClient.readContract({ address: restarted.deployment.agent.vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [staker.address] });
      expect(principal).toBe(principalBefore + parseUnits('77.25', 6));
    } finally {
      await restarted?.dispose();
      await crashed.dispose();
    }
  });

  it('the agent reconciles journaled transactions the chain no longer has', async () => {
    const devnet = await startTestDevnet({ bundler: false });
    const dir = mkdtempSync(join(tmpdir(), 'y2c-lost-'));
    const memory = openAgentMemory(join(dir, 'agent.db'));
    try {
      const kept = await stakeFrom(devnet, '3');
      const keptReceipt = await devnet.publicClient.getTransactionReceipt({ hash: kept.hash });
      const keptId = memory.ledger.recordIntent({ kind: 'stake', reason: 'still on chain' });
      memory.ledger.markConfirmed(keptId, { txHash: kept.hash, blockNumber: keptReceipt.blockNumber, amount: parseUnits('3', 6) });
      // Journaled as confirmed on a chain state that was then lost (a crash before the state was saved).
      const lostHash = generatePrivateKey() as Hex;
      const lostId = memory.ledger.recordIntent({ kind: 'open_channel', reason: 'opened before the crash' });
      memory.ledger.markConfirmed(lostId, { txHash: lostHash, blockNumber: keptReceipt.blockNumber + 5n, amount: parseUnits('2', 6) });
      memory.channels.upsert({ channelId: 4242n, provider: devAccount(3).account.address, signer: devAccount(2).account.address, deposit: parseUnits('2', 6) });

      const found = await reconcileLedger({ publicClient: devnet.publicClient, deployment: devnet.deployment as AgentDeployment, memory });
      expect(found).toEqual([expect.objectContaining({ id: lostId, outcome: 'lost', txHash: lostHash })]);
      expect(memory.ledger.get(lostId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^lost: the chain no longer has/) });
      expect(memory.ledger.get(keptId)?.status).toBe('confirmed');
      expect(memory.channels.listOpen().map((channel) => channel.channelId)).not.toContain(4242n);
      // Nothing counts the lost deposit.
      expect(memory.ledger.totalsByKind().find((totals) => totals.kind === 'open_channel')).toMatchObject({ succeeded: 0, amount: 0n });
      // A second pass finds nothing more.
      expect(await reconcileLedger({ publicClient: devnet.publicClient, deployment: devnet.deployment as AgentDeployment, memory })).toEqual([]);
    } finally {
      memory.close();
      rmSync(dir, { recursive: true, force: true });
      await devnet.dispose();
    }
  });
});
