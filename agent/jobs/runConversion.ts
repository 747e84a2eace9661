import type { Account, Chain, PublicClient, Transport, WalletClient } from 'viem';
import { wethAbi } from '../../chain/abi/generated/weth.js';
import { yieldConverterAbi } from '../../chain/abi/generated/yieldConverter.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { ConversionRefusedError, type ConversionRefusal } from '../../chain/conversion/ConversionRefusedError.js';
import { convertYield } from '../../chain/conversion/convertYield.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import { firstLine } from '../../core/firstLine.js';

/** Parameters of {@link runConversion}. */
export type RunConversionParameters = {
  publicClient: PublicClient;
  /** Pays the gas of the two permissionless calls (the daemon: its session key, as for direct sends). */
  walletClient: WalletClient<Transport, Chain, Account>;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'ledger'>;
  /** Convert only when the WETH waiting is worth at least this many times the gas (default 10). */
  minGasMultiple?: number;
  /** Gas of harvest + convert, for that comparison (default 250,000; measured ~201,000 on the devnet). */
  gasEstimate?: bigint;
};

/** What {@link runConversion} did. */
export type RunConversionReturnType =
  | { status: 'none' | 'below_threshold'; pendingWei: bigint }
  | { status: 'waiting'; pendingWei: bigint; reason: ConversionRefusal }
  | { status: 'converted'; pendingWei: bigint; amountIn: bigint; amountOut: bigint; price: bigint; ledgerId: number };

/**
 * The conversion job: when the ETH vault's yield (pending, or harvested and waiting in the
 * converter) is worth the gas, harvests it and converts it into the payment token for the TBA, and
 * records the conversion in the ledger (kind `conversion`: WETH in, the oracle price used, the
 * minimum, the payment token out as the amount). A refusal (stale oracle, pool off the oracle, swap
 * beyond the bound) is logged by the caller and waits for the next tick: nothing moved. No LLM.
 *
 * @param parameters Chain, payer, deployment, memory and the gas threshold.
 * @returns What happened.
 */
export async function runConversion(parameters: RunConversionParameters): Promise<RunConversionReturnType> {
  const { publicClient, walletClient, deployment, memory } = parameters;
  const eth = deployment.eth;
  if (!eth) return { status: 'none', pendingWei: 0n };
  const [pending, waiting, gasPrice] = await Promise.all([
    publicClient.readContract({ address: eth.vault, abi: yieldVaultAbi, functionName: 'pendingYield' }),
    publicClient.readContract({ address: eth.weth, abi: wethAbi, functionName: 'balanceOf', args: [eth.converter] }),
    publicClient.getGasPrice(),
  ]);
  const pendingWei = pending + waiting;
  if (pendingWei === 0n) return { status: 'none', pendingWei };
  // Gas and yield are both in wei here: no price needed to compare them.
  const threshold = BigInt(parameters.minGasMultiple ?? 10) * (parameters.gasEstimate ?? 250_000n) * gasPrice;
  if (pendingWei < threshold) return { status: 'below_threshold', pendingWei };
  let quote: readonly [bigint, bigint, bigint];
  try {
    quote = await publicClient.readContract({ address: eth.converter, abi: yieldConverterAbi, functionName: 'quote', args: [pendingWei] });
  } catch {
    return { status: 'waiting', pendingWei, reason: 'stale_oracle' };
  }
  const id = memory.ledger.recordIntent({
    kind: 'conversion',
    reason: `ETH yield ${pendingWei} wei ≥ ${parameters.minGasMultiple ?? 10}× gas: convert to the payment token through the pool`,
    params: { vault: eth.vault, converter: eth.converter, wethIn: pendingWei, oracleOut: quote[0], minOut: quote[1], spotOut: quote[2] },
  });
  try {
    const result = await convertYield({ publicClient, walletClient }, { vault: eth.vault, converter: eth.converter });
    memory.ledger.markConfirmed(id, {
      amount: result.amountOut,
      gasUsed: result.gasUsed,
      ...(result.convertHash ? { txHash: result.convertHash } : {}),
    });
    return { status: 'converted', pendingWei, amountIn: result.amountIn, amountOut: result.amountOut, price: result.price, ledgerId: id };
  } catch (error) {
    memory.ledger.markFailed(id, firstLine(error));
    if (error instanceof ConversionRefusedError) return { status: 'waiting', pendingWei, reason: error.reason };
    throw error;
  }
}
