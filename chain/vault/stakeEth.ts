import { formatEther, type Account, type Address, type Chain, type Hash, type PublicClient, type Transport, type WalletClient } from 'viem';
import { ethStakeGatewayAbi } from '../abi/generated/ethStakeGateway.js';
import { yieldVaultAbi } from '../abi/generated/yieldVault.js';
import { AgentError } from '../../core/AgentError.js';
import { confirmTransaction } from '../confirmTransaction.js';
import { InsufficientBalanceError } from '../errors.js';
import { gasWithHeadroom } from '../gasWithHeadroom.js';

/** Parameters of {@link stakeEth}. */
export type StakeEthParameters = {
  /** The EthStakeGateway in front of the ETH vault. */
  gateway: Address;
  /** The ETH vault (read back for the principal). */
  vault: Address;
  /** Wei to stake (> 0). */
  amount: bigint;
};

/** What {@link stakeEth} did. */
export type StakeEthReturnType = { hash: Hash; principal: bigint; unlocksAt: bigint };

/**
 * Stakes plain ETH into the agent's ETH vault through the gateway (wrapped to WETH and staked for
 * the sender in one transaction). Checks the balance covers the amount and the gas first: a clear
 * error, nothing sent.
 *
 * @param clients Public client and the staker's wallet client.
 * @param parameters Gateway, vault, amount in wei.
 * @returns The transaction, the new principal (wei of WETH) and when it unlocks.
 * @example await stakeEth(clients, { gateway, vault, amount: parseEther('0.1') })
 */
export async function stakeEth(
  clients: { publicClient: PublicClient; walletClient: WalletClient<Transport, Chain, Account> },
  parameters: StakeEthParameters,
): Promise<StakeEthReturnType> {
  const { publicClient, walletClient } = clients;
  const { gateway, vault, amount } = parameters;
  const me = walletClient.account.address;
  if (amount <= 0n) throw new AgentError('The amount to stake must be greater than zero.');
  const balance = await publicClient.getBalance({ address: me });
  if (balance < amount) {
    throw new InsufficientBalanceError(`Not enough ETH to stake: ${formatEther(amount)} asked, ${formatEther(balance)} held by ${me}.`, {
      details: 'Nothing was sent.',
    });
  }
  const gas = gasWithHeadroom(
    await publicClient.estimateContractGas({ account: walletClient.account, address: gateway, abi: ethStakeGatewayAbi, functionName: 'stake', value: amount }),
  );
  const { maxFeePerGas } = await publicClient.estimateFeesPerGas();
  if (balance < amount + gas * maxFeePerGas) {
    throw new InsufficientBalanceError(`Not enough ETH to stake ${formatEther(amount)} and pay the gas: ${me} holds ${formatEther(balance)}.`, {
      details: `Stake at most about ${formatEther(balance - gas * maxFeePerGas)} ETH. Nothing was sent.`,
    });
  }
  const receipt = await confirmTransaction(
    publicClient,
    await walletClient.writeContract({ address: gateway, abi: ethStakeGatewayAbi, functionName: 'stake', value: amount, gas }),
    'The ETH stake',
  );
  const [principal, unlocksAt] = await Promise.all([
    publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [me] }),
    publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'unlocksAt', args: [me] }),
  ]);
  return { hash: receipt.transactionHash, principal, unlocksAt: BigInt(unlocksAt) };
}
