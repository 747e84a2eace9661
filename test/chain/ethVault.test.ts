import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWalletClient, http, parseEther, type Address } from 'viem';
import { foundry } from 'viem/chains';
import { swapRouterAbi } from '../../chain/abi/generated/swapRouter.js';
import { uniswapV3PoolAbi } from '../../chain/abi/generated/uniswapV3Pool.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { wethAbi } from '../../chain/abi/generated/weth.js';
import { yieldConverterAbi } from '../../chain/abi/generated/yieldConverter.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { ConversionRefusedError } from '../../chain/conversion/ConversionRefusedError.js';
import { convertYield } from '../../chain/conversion/convertYield.js';
import { setPrice } from '../../chain/conversion/setPrice.js';
import { deployEthVault, devnetEthDefaults } from '../../chain/deploy/deployEthVault.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { unstake } from '../../chain/vault/unstake.js';
import { stakeEth } from '../../chain/vault/stakeEth.js';
import { startTestDevnet, type TestDevnet } from '../fixtures/startTestDevnet.js';

let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet({ bundler: false, ethVault: true });
});

afterAll(async () => {
  await devnet?.dispose();
});

const walletOf = (index: number) =>
  createWalletClient({ chain: foundry, transport: http(devnet.anvil.rpcUrl), account: devAccount(index).account, pollingInterval: 100 });

async function warpDays(days: number): Promise<void> {
  await devnet.publicClient.request({ method: 'evm_increaseTime' as never, params: [days * 86_400] as never });
  await devnet.publicClient.request({ method: 'evm_mine' as never, params: [] as never });
}

// Issue 13: the ETH vault beside the USDx one, its yield converted to USDx through a real Uniswap v3
// pool for the TBA, within the oracle bound, refusing (and losing nothing) when it cannot.
describe('ETH vault on the devnet: stake ETH, harvest, convert through Uniswap v3', () => {
  it('is deployed next to the USDx vault, with a seeded pool and a converter paying only the TBA', async () => {
    const { publicClient, deployment } = devnet;
    const eth = deployment.eth;
    expect(eth).toBeDefined();
    if (!eth) return;
    expect(eth.vault).not.toBe(deployment.agent.vault);
    expect(await publicClient.readContract({ address: eth.vault, abi: yieldVaultAbi, functionName: 'asset' })).toBe(eth.weth);
    expect(await publicClient.readContract({ address: eth.vault, abi: yieldVaultAbi, functionName: 'beneficiary' })).toBe(eth.converter);
    expect(await publicClient.readContract({ address: eth.converter, abi: yieldConverterAbi, functionName: 'recipient' })).toBe(deployment.agent.tba);
    expect(await publicClient.readContract({ address: eth.converter, abi: yieldConverterAbi, functionName: 'owner' })).toBe(deployment.governance?.timelock);
    expect(await publicClient.readContract({ address: eth.pool, abi: uniswapV3PoolAbi, functionName: 'liquidity' })).toBeGreaterThan(0n);
    const [oracleOut, , spotOut] = await publicClient.readContract({ address: eth.converter, abi: yieldConverterAbi, functionName: 'quote', args: [parseEther('1')] });
    expect(oracleOut).toBe(3000_000000n);
    expect(Number(spotOut)).toBeCloseTo(3000e6, -3);

    // A second deployment run deploys nothing and finds the same addresses.
    const again = await deployEthVault({ publicClient, walletClient: walletOf(devRoles.owner) }, { ...devnetEthDefaults, deployment, lockPeriodSeconds: 7n * 86_400n });
    expect(again).toEqual(eth);
  });

  it('stakes 0.1 ETH, converts a year of yield at the oracle price, refuses a stale oracle and a moved pool, returns exactly 0.1 ETH', async () => {
    const { publicClient, deployment } = devnet;
    const eth = deployment.eth;
    if (!eth) throw new Error('no ETH vault');
    const member = walletOf(devRoles.firstStaker + 3);
    const keeper = walletOf(devRoles.firstStaker + 4); // anyone may harvest and convert
    const staked = await stakeEth({ publicClient, walletClient: member }, { gateway: eth.gateway, vault: eth.vault, amount: parseEther('0.1') });
    expect(staked.principal).toBe(parseEther('0.1'));
    await expect(stakeEth({ publicClient, walletClient: member }, { gateway: eth.gateway, vault: eth.vault, amount: parseEther('20000') })).rejects.toThrow(/Not enough ETH/);

    await warpDays(365);
    const tbaUsdx = () => publicClient.readContract({ address: deployment.usdx, abi: usdxAbi, functionName: 'balanceOf', args: [deployment.agent.tba] });
    const before = await tbaUsdx();
    const stale = await convertYield({ publicClient, walletClient: keeper }, { vault: eth.vault, converter: eth.converter }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConversionRefusedError);
    expect((stale as ConversionRefusedError).reason).toBe('stale_oracle');
    const waiting = await publicClient.readContract({ address: eth.weth, abi: wethAbi, functionName: 'balanceOf', args: [eth.converter] });
    expect(waiting).toBeGreaterThan(parseEther('0.0029')); // 3% of 0.1 ETH, harvested and waiting
    expect(await tbaUsdx()).toBe(before);
    expect(await publicClient.readContract({ address: eth.vault, abi: yieldVaultAbi, functionName: 'computeBalanceOf', args: [member.account.address] })).toBeGreaterThan(parseEther('0.0029'));

    await setPrice({ publicClient, walletClient: walletOf(devRoles.owner) }, { feed: eth.priceFeed, price: '3000' });
    const converted = await convertYield({ publicClient, walletClient: keeper }, { vault: eth.vault, converter: eth.converter });
    expect(converted.amountIn).toBe(waiting);
    expect(converted.price).toBe(3000_00000000n);
    expect(converted.amountOut).toBeGreaterThanOrEqual(converted.minOut);
    expect(converted.minOut).toBe((converted.oracleOut * 9_900n) / 10_000n);
    expect((await tbaUsdx()) - before).toBe(converted.amountOut);
    console.log(`conversion: ${converted.amountIn} wei WETH -> ${converted.amountOut} USDx units (oracle ${converted.oracleOut}), gas ${converted.gasUsed}`);

    // A trader moves the pool ~20%: the next conversion refuses and the yield waits.
    await warpDays(30);
    await setPrice({ publicClient, walletClient: walletOf(devRoles.owner) }, { feed: eth.priceFeed, price: '3000' });
    const trader = walletOf(devRoles.firstStaker + 5);
    const tradeIn = parseEther('100');
    for (const hash of [
      await trader.writeContract({ address: eth.weth, abi: wethAbi, functionName: 'deposit', value: tradeIn }),
      await trader.writeContract({ address: eth.weth, abi: wethAbi, functionName: 'approve', args: [eth.swapRouter, tradeIn] }),
      await trader.writeContract({
        address: eth.swapRouter,
        abi: swapRouterAbi,
        functionName: 'exactInputSingle',
        args: [{ tokenIn: eth.weth, tokenOut: deployment.usdx, fee: eth.poolFee, recipient: trader.account.address as Address, deadline: 2n ** 40n, amountIn: tradeIn, amountOutMinimum: 0n, sqrtPriceLimitX96: 0n }],
        gas: 1_000_000n,
      }),
    ]) {
      expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe('success');
    }
    const afterFirst = await tbaUsdx();
    const off = await convertYield({ publicClient, walletClient: keeper }, { vault: eth.vault, converter: eth.converter }).catch((e: unknown) => e);
    expect((off as ConversionRefusedError).reason).toBe('pool_off');
    expect(await tbaUsdx()).toBe(afterFirst);
    expect(await publicClient.readContract({ address: eth.weth, abi: wethAbi, functionName: 'balanceOf', args: [eth.converter] })).toBeGreaterThan(0n);

    const wethBefore = await publicClient.readContract({ address: eth.weth, abi: wethAbi, functionName: 'balanceOf', args: [member.account.address] });
    await unstake({ publicClient, walletClient: member }, { vault: eth.vault, amount: parseEther('0.1') });
    const wethAfter = await publicClient.readContract({ address: eth.weth, abi: wethAbi, functionName: 'balanceOf', args: [member.account.address] });
    expect(wethAfter - wethBefore).toBe(parseEther('0.1'));
  });
});
