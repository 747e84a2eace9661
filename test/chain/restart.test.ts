import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWalletClient, http, parseUnits, type Address } from 'viem';
import { foundry } from 'viem/chains';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { devAccount } from '../../chain/devnet/devAccounts.js';
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
