import {
  BaseError,
  ContractFunctionRevertedError,
  decodeEventLog,
  type Account,
  type Address,
  type Chain,
  type Hash,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { yieldConverterAbi } from '../abi/generated/yieldConverter.js';
import { yieldVaultAbi } from '../abi/generated/yieldVault.js';
import { confirmTransaction } from '../confirmTransaction.js';
import { gasWithHeadroom } from '../gasWithHeadroom.js';
import { ConversionRefusedError } from './ConversionRefusedError.js';

/** Parameters of {@link convertYield}. */
export type ConvertYieldParameters = {
  /** The ETH vault, harvested first (its beneficiary is the converter). */
  vault: Address;
  /** The YieldConverter. */
  converter: Address;
};

/** What {@link convertYield} did. */
export type ConvertYieldReturnType = {
  /** The harvest transaction, when there was yield to harvest. */
  harvestHash?: Hash;
  /** The conversion transaction, when there was WETH to convert. */
  convertHash?: Hash;
  /** WETH swapped, USDx the TBA received, the oracle value and minimum, the oracle price (8 decimals). */
  amountIn: bigint;
  amountOut: bigint;
  oracleOut: bigint;
  minOut: bigint;
  price: bigint;
  /** Gas of both transactions. */
  gasUsed: bigint;
};

/** Maps the converter's custom errors to a refusal. */
function refusalOf(error: unknown): ConversionRefusedError | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  const name = reverted.data?.errorName;
  const args = (reverted.data?.args ?? []).map(String).join(', ');
  const details = `${name}(${args}). Nothing moved: the yield waits for the next try.`;
  if (name === 'YieldConverter_StaleOracle')
    return new ConversionRefusedError('stale_oracle', 'Conversion refused: the price feed is stale.', { details: `${details} On the devnet: y2c price set <usd>.` });
  if (name === 'YieldConverter_BadOraclePrice') return new ConversionRefusedError('bad_oracle', 'Conversion refused: the price feed answered no usable price.', { details });
  if (name === 'YieldConverter_PoolOff') return new ConversionRefusedError('pool_off', "Conversion refused: the pool's price is off the oracle by more than the bound.", { details });
  if (name === 'YieldConverter_InsufficientOutput' || /Too little received/.test(reverted.reason ?? ''))
    return new ConversionRefusedError('slippage', 'Conversion refused: the swap would lose more than the slippage bound.', { details });
  return undefined;
}

/**
 * The treasury's conversion step: harvests the ETH vault (its WETH yield goes to the converter) and
 * converts everything the converter holds into the payment token for the TBA. Both calls are
 * permissionless and choose nothing (recipient, amount and bounds are the converter's), so any key
 * may send them. Simulates the conversion first: a refusal throws {@link ConversionRefusedError}
 * with nothing sent for it (the harvested WETH waits in the converter).
 *
 * @param clients Public client and the wallet that pays the gas.
 * @param parameters ETH vault and converter.
 * @returns What was harvested and converted, at which price, for how much gas.
 */
export async function convertYield(
  clients: { publicClient: PublicClient; walletClient: WalletClient<Transport, Chain, Account> },
  parameters: ConvertYieldParameters,
): Promise<ConvertYieldReturnType> {
  const { publicClient, walletClient } = clients;
  const { vault, converter } = parameters;
  const account = walletClient.account;
  let gasUsed = 0n;
  const result: ConvertYieldReturnType = { amountIn: 0n, amountOut: 0n, oracleOut: 0n, minOut: 0n, price: 0n, gasUsed: 0n };
  const pending = await publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'pendingYield' });
  if (pending > 0n) {
    const gas = gasWithHeadroom(await publicClient.estimateContractGas({ account, address: vault, abi: yieldVaultAbi, functionName: 'harvest' }));
    const receipt = await confirmTransaction(publicClient, await walletClient.writeContract({ address: vault, abi: yieldVaultAbi, functionName: 'harvest', gas }), 'The ETH harvest');
    result.harvestHash = receipt.transactionHash;
    gasUsed += receipt.gasUsed;
  }
  let gas: bigint;
  try {
    await publicClient.simulateContract({ account, address: converter, abi: yieldConverterAbi, functionName: 'convert' });
    gas = gasWithHeadroom(await publicClient.estimateContractGas({ account, address: converter, abi: yieldConverterAbi, functionName: 'convert' }));
  } catch (error) {
    throw refusalOf(error) ?? error;
  }
  const receipt = await confirmTransaction(publicClient, await walletClient.writeContract({ address: converter, abi: yieldConverterAbi, functionName: 'convert', gas }), 'The conversion');
  gasUsed += receipt.gasUsed;
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== converter.toLowerCase()) continue;
    try {
      const event = decodeEventLog({ abi: yieldConverterAbi, data: log.data, topics: log.topics });
      if (event.eventName === 'Converted') {
        result.amountIn = event.args.amountIn;
        result.amountOut = event.args.amountOut;
        result.oracleOut = event.args.oracleOut;
        result.minOut = event.args.minOut;
        result.price = event.args.price;
        result.convertHash = receipt.transactionHash;
      }
    } catch {
      // another event of the converter (none today)
    }
  }
  return { ...result, gasUsed };
}
