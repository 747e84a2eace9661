import { encodeDeployData, maxUint256, parseEther, zeroAddress, type Hex } from 'viem';
import { ethStakeGatewayAbi, ethStakeGatewayBytecode } from '../abi/generated/ethStakeGateway.js';
import { nonfungiblePositionManagerAbi, nonfungiblePositionManagerBytecode } from '../abi/generated/nonfungiblePositionManager.js';
import { priceFeedAbi, priceFeedBytecode } from '../abi/generated/priceFeed.js';
import { stakedEtherAbi, stakedEtherBytecode } from '../abi/generated/stakedEther.js';
import { swapRouterAbi, swapRouterBytecode } from '../abi/generated/swapRouter.js';
import { uniswapV3FactoryAbi, uniswapV3FactoryBytecode } from '../abi/generated/uniswapV3Factory.js';
import { uniswapV3PoolAbi } from '../abi/generated/uniswapV3Pool.js';
import { usdxAbi } from '../abi/generated/usdx.js';
import { wethAbi, wethBytecode } from '../abi/generated/weth.js';
import { yieldConverterAbi, yieldConverterBytecode } from '../abi/generated/yieldConverter.js';
import { yieldVaultAbi, yieldVaultBytecode } from '../abi/generated/yieldVault.js';
import { confirmTransaction } from '../confirmTransaction.js';
import { deployCreate2 } from './deployCreate2.js';
import type { DeployClients } from './deployContracts.js';
import type { Deployment, EthDeployment } from './deployment.js';
import { saltFor } from './saltFor.js';

/** Parameters of {@link deployEthVault}. */
export type DeployEthVaultParameters = {
  /** The world so far (the agent bootstrapped: its TBA receives conversions). */
  deployment: Deployment & { agent: NonNullable<Deployment['agent']> };
  /** ETH / USD in the feed's 8 decimals, e.g. 3000_00000000n: seeds the feed and the pool. */
  price: bigint;
  /** StakedEther's APR in basis points (about stETH's: 300). */
  aprBps: number;
  /** Seconds an ETH stake stays locked. */
  lockPeriodSeconds: bigint;
  /** The converter's slippage bound against the oracle, in basis points. */
  maxSlippageBps: number;
  /** Seconds an oracle answer stays usable by the converter. */
  maxOracleAgeSeconds: number;
  /** WETH put in the pool (with its value in the payment token), full range. */
  poolWeth: bigint;
  /** WETH funding StakedEther's reward reserve (interest is paid from it). */
  rewardReserve: bigint;
  /** Reports progress. */
  onStep?: (step: string) => void;
};

/** The pool's fee tier: 0.3%. */
export const ethPoolFee = 3000;
/** Full range for a 60-tick spacing (the 0.3% tier). */
const minTick = -887_220;
const maxTick = 887_220;

/** Integer square root (floor). */
function sqrt(value: bigint): bigint {
  if (value < 2n) return value;
  let x = value;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + value / x) / 2n;
  }
  return x;
}

/**
 * Deploys the devnet's ETH vault and its conversion route, idempotently (CREATE2, every step reads
 * the chain first): WETH, StakedEther (funded reward reserve), the ETH / USD PriceFeed, Uniswap v3
 * factory + SwapRouter + NonfungiblePositionManager from the npm artifacts, the WETH/payment-token
 * 0.3% pool initialized at `price` and seeded full range, the YieldConverter (recipient: the TBA),
 * the ETH YieldVault (beneficiary: the converter) and the EthStakeGateway. The wallet client (the
 * devnet's dev account 0, owner of USDx) pays, owns the feed and the converter's bounds.
 *
 * @param clients Public client and the owner's wallet client.
 * @param parameters Deployment, price and economics.
 * @returns Where everything is.
 */
export async function deployEthVault(clients: DeployClients, parameters: DeployEthVaultParameters): Promise<EthDeployment> {
  const { publicClient, walletClient } = clients;
  const { deployment, onStep = () => {} } = parameters;
  const owner = walletClient.account.address;
  const tba = deployment.agent.tba;
  const usdx = deployment.usdx;
  const send = async (request: Promise<Hex>, what: string) => confirmTransaction(publicClient, await request, what);
  // Gas estimated with a margin: a write estimated in one second and mined in the next does more
  // work (StakedEther's drip, the pool's oracle observation write only when the timestamp moved), so
  // the bare estimate ran out of gas now and then ("Funding rewards reverted" in a cold `y2c up`).
  const write = async (request: Record<string, unknown>): Promise<Hex> => {
    const gas = await publicClient.estimateContractGas({ ...request, account: walletClient.account } as never);
    return walletClient.writeContract({ ...request, gas: gas + gas / 4n + 30_000n } as never);
  };
  const create2 = async (name: string, initCode: Hex, salt = saltFor(name)) => {
    const result = await deployCreate2(clients, { name, salt, initCode });
    if (result.deployed) onStep(`deployed ${name}`);
    return result.address;
  };

  const weth = await create2('WETH', encodeDeployData({ abi: wethAbi, bytecode: wethBytecode }));
  const source = await create2(
    'StakedEther',
    encodeDeployData({ abi: stakedEtherAbi, bytecode: stakedEtherBytecode, args: [weth, parameters.aprBps, owner] }),
  );
  const priceFeed = await create2(
    'PriceFeed/ETH-USD',
    encodeDeployData({ abi: priceFeedAbi, bytecode: priceFeedBytecode, args: [8, 'ETH / USD', parameters.price, owner] }),
  );
  const uniswapFactory = await create2('UniswapV3Factory', uniswapV3FactoryBytecode);
  const swapRouter = await create2(
    'SwapRouter',
    encodeDeployData({ abi: swapRouterAbi, bytecode: swapRouterBytecode, args: [uniswapFactory, weth] }),
  );
  // The token descriptor only serves tokenURI of LP positions, which nothing here reads.
  const positionManager = await create2(
    'NonfungiblePositionManager',
    encodeDeployData({
      abi: nonfungiblePositionManagerAbi,
      bytecode: nonfungiblePositionManagerBytecode,
      args: [uniswapFactory, weth, zeroAddress],
    }),
  );

  const wethIs0 = BigInt(weth) < BigInt(usdx);
  const [token0, token1] = wethIs0 ? [weth, usdx] : [usdx, weth];
  const poolUsdx = (parameters.poolWeth * parameters.price) / 10n ** 20n; // 18 + 8 - 6 decimals
  const [amount0, amount1] = wethIs0 ? [parameters.poolWeth, poolUsdx] : [poolUsdx, parameters.poolWeth];
  let pool = await publicClient.readContract({ address: uniswapFactory, abi: uniswapV3FactoryAbi, functionName: 'getPool', args: [weth, usdx, ethPoolFee] });
  if (pool === zeroAddress) {
    onStep('creating the WETH/USDx pool');
    const sqrtPriceX96 = sqrt((amount1 << 192n) / amount0);
    await send(
      write({
        address: positionManager,
        abi: nonfungiblePositionManagerAbi,
        functionName: 'createAndInitializePoolIfNecessary',
        args: [token0, token1, ethPoolFee, sqrtPriceX96],
      }),
      'Creating the pool',
    );
    pool = await publicClient.readContract({ address: uniswapFactory, abi: uniswapV3FactoryAbi, functionName: 'getPool', args: [weth, usdx, ethPoolFee] });
  }
  const liquidity = await publicClient.readContract({ address: pool, abi: uniswapV3PoolAbi, functionName: 'liquidity' });
  if (liquidity === 0n) {
    onStep(`seeding the pool with ${parameters.poolWeth / 10n ** 18n} WETH and ${poolUsdx / 10n ** 6n} USDx`);
    await send(write({ address: weth, abi: wethAbi, functionName: 'deposit', value: parameters.poolWeth }), 'Wrapping ETH');
    // The devnet faucet (anyone, capped per call): USDx's owner may already be the timelock.
    const cap = await publicClient.readContract({ address: usdx, abi: usdxAbi, functionName: 'FAUCET_CAP' });
    for (let drawn = 0n; drawn < poolUsdx; drawn += cap) {
      const amount = poolUsdx - drawn < cap ? poolUsdx - drawn : cap;
      await send(write({ address: usdx, abi: usdxAbi, functionName: 'faucet', args: [owner, amount] }), 'Drawing USDx');
    }
    await send(write({ address: weth, abi: wethAbi, functionName: 'approve', args: [positionManager, maxUint256] }), 'Approving WETH');
    await send(write({ address: usdx, abi: usdxAbi, functionName: 'approve', args: [positionManager, maxUint256] }), 'Approving USDx');
    const block = await publicClient.getBlock();
    await send(
      write({
        address: positionManager,
        abi: nonfungiblePositionManagerAbi,
        functionName: 'mint',
        args: [
          {
            token0,
            token1,
            fee: ethPoolFee,
            tickLower: minTick,
            tickUpper: maxTick,
            amount0Desired: amount0,
            amount1Desired: amount1,
            amount0Min: 0n,
            amount1Min: 0n,
            recipient: owner,
            // Far ahead of the chain clock: a warp (the demo history, `y2c warp`) between reading the block and
            // mining this must not make it revert as too old.
            deadline: block.timestamp + 10n * 365n * 86_400n,
          },
        ],
      }),
      'Seeding the pool',
    );
  }

  const reserve = await publicClient.readContract({ address: source, abi: stakedEtherAbi, functionName: 'rewardReserve' });
  if (reserve === 0n && parameters.rewardReserve > 0n) {
    onStep(`funding the ETH source's reward reserve with ${parameters.rewardReserve / 10n ** 18n} WETH`);
    await send(write({ address: weth, abi: wethAbi, functionName: 'deposit', value: parameters.rewardReserve }), 'Wrapping ETH');
    await send(write({ address: weth, abi: wethAbi, functionName: 'approve', args: [source, parameters.rewardReserve] }), 'Approving WETH');
    await send(write({ address: source, abi: stakedEtherAbi, functionName: 'fundRewards', args: [parameters.rewardReserve] }), 'Funding rewards');
  }

  const converter = await create2(
    'YieldConverter',
    encodeDeployData({
      abi: yieldConverterAbi,
      bytecode: yieldConverterBytecode,
      args: [weth, usdx, swapRouter, pool, priceFeed, tba, parameters.maxSlippageBps, parameters.maxOracleAgeSeconds, owner],
    }),
    saltFor(`YieldConverter/${tba}`),
  );
  const vault = await create2(
    'EthVault',
    encodeDeployData({ abi: yieldVaultAbi, bytecode: yieldVaultBytecode, args: [weth, source, converter, parameters.lockPeriodSeconds] }),
    saltFor(`EthVault/${tba}`),
  );
  const gateway = await create2(
    'EthStakeGateway',
    encodeDeployData({ abi: ethStakeGatewayAbi, bytecode: ethStakeGatewayBytecode, args: [weth, vault] }),
    saltFor(`EthStakeGateway/${tba}`),
  );
  return { weth, source, vault, gateway, converter, priceFeed, uniswapFactory, swapRouter, positionManager, pool, poolFee: ethPoolFee };
}

/**
 * The devnet's default ETH economics: $3,000 an ether, a 3% APR (about stETH's), a 1% slippage
 * bound, oracle answers usable for a day, a 500 WETH pool and 100 WETH of staking rewards.
 */
export const devnetEthDefaults = {
  price: 3000_00000000n,
  aprBps: 300,
  maxSlippageBps: 100,
  maxOracleAgeSeconds: 86_400,
  poolWeth: parseEther('500'),
  rewardReserve: parseEther('100'),
} as const;

