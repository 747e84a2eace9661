import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEther } from 'viem';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { writeRuntime } from '../../cli/runtime.js';
import { runCli } from '../fixtures/runCli.js';
import { startTestDevnet, type TestDevnet } from '../fixtures/startTestDevnet.js';

// Issue 13: `y2c stake 0.1 --asset eth`, `y2c price show|set`, `y2c convert`, `y2c unstake --asset eth`.

let devnet: TestDevnet;
let env: Record<string, string>;
const member = devRoles.firstStaker + 3;

const cli = async (args: string[]) => {
  const result = await runCli(args, env);
  if (result.code !== 0) throw new Error(`y2c ${args.join(' ')} failed: ${result.stderr}`);
  return result;
};

beforeAll(async () => {
  devnet = await startTestDevnet({ bundler: false, ethVault: true });
  writeRuntime(devnet.dataDir, { pid: process.pid, rpcUrl: devnet.anvil.rpcUrl, startedAt: new Date().toISOString() });
  env = { Y2C_DATA_DIR: devnet.dataDir };
});

afterAll(async () => {
  await devnet?.dispose();
});

describe('y2c and the ETH vault', () => {
  it('stakes 0.1 ETH, converts its yield after a warp, refuses bad input, and gives the 0.1 ETH back', { timeout: 240_000 }, async () => {
    const eth = devnet.deployment.eth;
    if (!eth) throw new Error('no ETH vault');
    const staked = JSON.parse((await cli(['stake', '0.1', '--asset', 'eth', '--dev-account', String(member), '--json'])).stdout) as { principal: string; symbol: string };
    expect(staked).toMatchObject({ principal: '0.1', symbol: 'ETH' });
    const principal = await devnet.publicClient.readContract({ address: eth.vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [devAccount(member).account.address] });
    expect(principal).toBe(parseEther('0.1'));

    const bad = await runCli(['stake', '0.1', '--asset', 'btc', '--dev-account', String(member)], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--asset must be "usdx" or "eth", not "btc"/);
    const badPrice = await runCli(['price', 'set', '-5'], env);
    expect(badPrice.code).not.toBe(0);

    await cli(['warp', '365']); // the devnet feed keeps its heartbeat across the jump
    const shown = JSON.parse((await cli(['price', 'show', '--json'])).stdout) as { price: string; stale: boolean; maxSlippageBps: number };
    expect(shown).toMatchObject({ price: '3000', stale: false, maxSlippageBps: 100 });
    await cli(['price', 'set', '3000']);

    const before = await devnet.publicClient.readContract({ address: devnet.deployment.usdx, abi: usdxAbi, functionName: 'balanceOf', args: [devnet.deployment.agent.tba] });
    const converted = JSON.parse((await cli(['convert', '--json'])).stdout) as { amountIn: string; amountOut: string; minOut: string; price: string };
    expect(BigInt(converted.amountIn)).toBeGreaterThan(parseEther('0.0029'));
    expect(BigInt(converted.amountOut)).toBeGreaterThanOrEqual(BigInt(converted.minOut));
    expect(converted.price).toBe('300000000000');
    const after = await devnet.publicClient.readContract({ address: devnet.deployment.usdx, abi: usdxAbi, functionName: 'balanceOf', args: [devnet.deployment.agent.tba] });
    expect(after - before).toBe(BigInt(converted.amountOut));

    const out = JSON.parse((await cli(['unstake', '0.1', '--asset', 'eth', '--dev-account', String(member), '--json'])).stdout) as { amount: string; symbol: string };
    expect(out).toMatchObject({ amount: '0.1', symbol: 'WETH' });
    expect(await devnet.publicClient.readContract({ address: eth.vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [devAccount(member).account.address] })).toBe(0n);
  });
});
