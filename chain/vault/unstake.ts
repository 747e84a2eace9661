import { formatUnits, type Account, type Address, type Chain, type Hash, type PublicClient, type Transport, type WalletClient } from 'viem';
import { yieldVaultAbi } from '../abi/generated/yieldVault.js';
import { AgentError } from '../../core/AgentError.js';
import { confirmTransaction } from '../confirmTransaction.js';
import { InsufficientPrincipalError, StakeLockedError } from '../errors.js';
import { gasWithHeadroom } from '../gasWithHeadroom.js';

/** Parameters of {@link unstake}. */
export type UnstakeParameters = {
  /** The agent's vault. */
  vault: Address;
  /** Principal to take back, in the asset's smallest units (> 0). */
  amount: bigint;
};

/**
 * Takes principal back from the vault as the wallet client's account. The principal and the part of
 * it that is withdrawable now (`withdrawableOf`: a stake's locked part unlocks at `unlocksAt`) are
 * checked against the chain first, so a locked or oversized request fails with a clear error and
 * sends nothing.
 *
 * @param clients Public client and the staker's wallet client.
 * @param parameters Vault and amount.
 * @returns The unstake transaction.
 */
export async function unstake(
  clients: { publicClient: PublicClient; walletClient: WalletClient<Transport, Chain, Account> },
  parameters: UnstakeParameters,
): Promise<{ hash: Hash }> {
  const { publicClient, walletClient } = clients;
  const { vault, amount } = parameters;
  const me = walletClient.account.address;
  if (amount <= 0n) throw new AgentError('The amount to unstake must be greater than zero.');
  const [principal, withdrawable, unlocksAt] = await Promise.all([
    publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [me] }),
    publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'withdrawableOf', args: [me] }),
    publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'unlocksAt', args: [me] }),
  ]);
  if (principal < amount) {
    throw new InsufficientPrincipalError(
      `Cannot unstake ${formatUnits(amount, 6)}: ${me} has ${formatUnits(principal, 6)} staked.`,
    );
  }
  if (amount > withdrawable) {
    const free = withdrawable === 0n ? 'nothing is withdrawable before then' : `only ${formatUnits(withdrawable, 6)} is withdrawable now`;
    throw new StakeLockedError(`The stake of ${me} is locked until ${new Date(Number(unlocksAt) * 1000).toISOString()} (${free}).`, {
      details: 'On the local devnet, `y2c warp <days>` moves time forward.',
    });
  }
  const gas = await publicClient.estimateContractGas({ account: walletClient.account, address: vault, abi: yieldVaultAbi, functionName: 'unstake', args: [amount] });
  const hash = await walletClient.writeContract({ address: vault, abi: yieldVaultAbi, functionName: 'unstake', args: [amount], gas: gasWithHeadroom(gas) });
  await confirmTransaction(publicClient, hash, 'The unstake');
  return { hash };
}
