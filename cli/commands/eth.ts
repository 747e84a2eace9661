import type { Command } from 'commander';
import { formatEther, formatUnits } from 'viem';
import { priceFeedAbi } from '../../chain/abi/generated/priceFeed.js';
import { yieldConverterAbi } from '../../chain/abi/generated/yieldConverter.js';
import { convertYield } from '../../chain/conversion/convertYield.js';
import { setPrice } from '../../chain/conversion/setPrice.js';
import type { EthDeployment } from '../../chain/deploy/deployment.js';
import { AgentError } from '../../core/AgentError.js';
import type { Config } from '../../config/types.js';
import { connect, userWallet, type Connection } from '../connect.js';

type Helpers = { config: () => Config; print: (json: boolean | undefined, value: unknown, text: string) => void };

/**
 * The ETH vault's deployment, or a clear error when this world has none.
 *
 * @param connection The connection.
 * @returns Where the ETH vault and its route live.
 */
export function ethDeploymentOf(connection: Connection): EthDeployment {
  const eth = connection.deployment.eth;
  if (!eth) {
    throw new AgentError('This world has no ETH vault.', {
      details: 'The devnet deploys one on `npm start` (restart it once after upgrading); on a real network set it in the deployment.',
      docsPath: '#eth-vault-and-conversion',
    });
  }
  return eth;
}

/**
 * `y2c price show|set` (the devnet's ETH / USD feed) and `y2c convert` (harvest the ETH vault and
 * convert its yield to the payment token for the TBA, within the oracle bound).
 *
 * @param program The CLI.
 * @param helpers Config loader and printer.
 */
export function registerEthCommands(program: Command, helpers: Helpers): void {
  const price = program.command('price').description('The ETH / USD price feed the conversion reads (the devnet owns its feed).');
  price
    .command('show')
    .description("Show the feed's latest answer and age, the converter's bounds and the pool's spot price.")
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const connection = connect(helpers.config());
      const eth = ethDeploymentOf(connection);
      const { publicClient } = connection;
      const [[, answer, , updatedAt], decimals, [maxSlippageBps, maxOracleAge], block] = await Promise.all([
        publicClient.readContract({ address: eth.priceFeed, abi: priceFeedAbi, functionName: 'latestRoundData' }),
        publicClient.readContract({ address: eth.priceFeed, abi: priceFeedAbi, functionName: 'decimals' }),
        publicClient.readContract({ address: eth.converter, abi: yieldConverterAbi, functionName: 'bounds' }),
        publicClient.getBlock(),
      ]);
      const [, , spotOut] = await publicClient
        .readContract({ address: eth.converter, abi: yieldConverterAbi, functionName: 'quote', args: [10n ** 18n] })
        .catch(() => [0n, 0n, -1n] as const);
      const age = Number(block.timestamp - updatedAt);
      const value = {
        price: formatUnits(answer, decimals),
        ageSeconds: age,
        stale: age > maxOracleAge,
        maxOracleAgeSeconds: maxOracleAge,
        maxSlippageBps,
        poolSpot: spotOut < 0n ? null : formatUnits(spotOut, 6),
      };
      helpers.print(
        options.json,
        value,
        `ETH / USD ${value.price} (${age} s old${value.stale ? ', STALE: conversions wait' : ''}); pool spot ${value.poolSpot ?? 'unknown (stale feed)'}; slippage bound ${maxSlippageBps} bps, oracle age bound ${maxOracleAge} s`,
      );
    });
  price
    .command('set')
    .description('Devnet: publish a new ETH / USD round (the feed owner, dev account 0 by default).')
    .argument('<usd>', 'price of one ether, e.g. 3000 or 2987.5')
    .option('--dev-account <index>', 'local devnet: act as anvil dev account 0-9 (default 0, the feed owner)', (v) => Number(v))
    .option('--key-file <path>', 'act with the hex private key in this file')
    .option('--json', 'print JSON')
    .action(async (usd: string, options: { devAccount?: number; keyFile?: string; json?: boolean }) => {
      const cfg = helpers.config();
      const connection = connect(cfg);
      const eth = ethDeploymentOf(connection);
      const walletClient = userWallet(cfg, connection, { devAccountIndex: options.devAccount, keyFile: options.keyFile }, 'owner');
      const result = await setPrice({ publicClient: connection.publicClient, walletClient }, { feed: eth.priceFeed, price: usd });
      helpers.print(options.json, { hash: result.hash, answer: result.answer.toString(), price: usd }, `ETH / USD is now ${usd} (tx ${result.hash})`);
    });

  program
    .command('convert')
    .description("Harvest the ETH vault and convert its yield into the payment token for the agent's TBA (anyone may; refuses on a stale oracle or a pool off the oracle).")
    .option('--dev-account <index>', 'local devnet: act as anvil dev account 0-9 (default 4)', (v) => Number(v))
    .option('--key-file <path>', 'act with the hex private key in this file')
    .option('--json', 'print JSON')
    .action(async (options: { devAccount?: number; keyFile?: string; json?: boolean }) => {
      const cfg = helpers.config();
      const connection = connect(cfg);
      const eth = ethDeploymentOf(connection);
      const walletClient = userWallet(cfg, connection, { devAccountIndex: options.devAccount, keyFile: options.keyFile });
      const result = await convertYield({ publicClient: connection.publicClient, walletClient }, { vault: eth.vault, converter: eth.converter });
      const { decimals, symbol } = cfg.chain.token;
      helpers.print(
        options.json,
        result,
        result.amountIn === 0n
          ? 'nothing to convert'
          : `converted ${formatEther(result.amountIn)} WETH into ${formatUnits(result.amountOut, decimals)} ${symbol} for the agent at ETH / USD ${formatUnits(result.price, 8)} (oracle value ${formatUnits(result.oracleOut, decimals)}, minimum ${formatUnits(result.minOut, decimals)}; gas ${result.gasUsed})`,
      );
    });
}
