import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWalletClient, http, parseUnits } from 'viem';
import { foundry } from 'viem/chains';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { StakeLockedError } from '../../chain/errors.js';
import { stake } from '../../chain/vault/stake.js';
import { unstake } from '../../chain/vault/unstake.js';
import { startTestDevnet, type TestDevnet } from '../fixtures/startTestDevnet.js';

let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet({ bundler: false });
});

afterAll(async () => {
  await devnet?.dispose();
});

// Issue 10 class 6 / issue 11 item 10: staking more (or anyone's stakeFor) never re-locks principal
// that was already unlocked; `unstake` lets it go at once and refuses only the new, locked part.
describe('unstake: withdrawable principal, whoever staked after it', () => {
  it('takes the old principal back at once after a new stake, and refuses the new part until its lock ends', async () => {
    const { publicClient, deployment } = devnet;
    const vault = deployment.agent.vault;
    const member = devAccount(devRoles.firstStaker).account;
    const stranger = devAccount(devRoles.firstStaker + 1).account;
    const walletOf = (account: typeof member) => createWalletClient({ chain: foundry, transport: http(devnet.anvil.rpcUrl), account, pollingInterval: 100 });
    const read = (functionName: 'principalOf' | 'withdrawableOf') => publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName, args: [member.address] });
    const lock = await publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'lockPeriod' });
    await publicClient.request({ method: 'evm_increaseTime' as never, params: [Number(lock) + 1] as never });
    await publicClient.request({ method: 'evm_mine' as never, params: [] as never });
    const old = await read('principalOf');
    expect(old).toBeGreaterThan(0n);
    expect(await read('withdrawableOf')).toBe(old);

    // Someone else stakes for the member (the front-run of an unstake), then the member stakes more.
    const gift = parseUnits('5', 6);
    const strangerWallet = walletOf(stranger);
    for (const hash of [
      await strangerWallet.writeContract({ address: deployment.usdx, abi: usdxAbi, functionName: 'faucet', args: [stranger.address, gift] }),
      await strangerWallet.writeContract({ address: deployment.usdx, abi: usdxAbi, functionName: 'approve', args: [vault, gift] }),
      await strangerWallet.writeContract({ address: vault, abi: yieldVaultAbi, functionName: 'stakeFor', args: [member.address, gift], gas: 1_000_000n }),
    ]) {
      expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe('success');
    }
    await stake({ publicClient, walletClient: walletOf(member) }, { vault, asset: deployment.usdx, amount: gift, useFaucet: true });
    expect(await read('withdrawableOf')).toBe(old);

    await unstake({ publicClient, walletClient: walletOf(member) }, { vault, amount: old });
    expect(await read('principalOf')).toBe(2n * gift);
    await expect(unstake({ publicClient, walletClient: walletOf(member) }, { vault, amount: 1n })).rejects.toThrow(StakeLockedError);
    await expect(unstake({ publicClient, walletClient: walletOf(member) }, { vault, amount: 1n })).rejects.toThrow(/locked until \d{4}-.*nothing is withdrawable before then/);
  });
});
