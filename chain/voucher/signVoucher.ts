import type { Account, Address, Hex } from 'viem';
import { AgentError } from '../../core/AgentError.js';
import { voucherDomain } from './voucherDomain.js';
import { voucherPrimaryType, voucherTypes, type SignedVoucher } from './voucherTypes.js';

/** Parameters of {@link signVoucher}. */
export type SignVoucherParameters = {
  /** The channel's signer key (a local account: it signs typed data offline). */
  account: Account;
  /** Chain id of the market. */
  chainId: number;
  /** The ComputeMarket contract. */
  market: Address;
  /** Channel id. */
  channelId: bigint;
  /** Cumulative amount authorized. */
  authorized: bigint;
};

/** Return type of {@link signVoucher}. */
export type SignVoucherReturnType = SignedVoucher;

/** The account cannot sign typed data locally. */
export class VoucherSignerError extends AgentError {
  override name = 'VoucherSignerError' as const;
}

/**
 * Signs the EIP-712 voucher `Voucher(channelId, authorized)` for a market.
 *
 * @param parameters The signer, the domain and the voucher.
 * @returns The voucher with its signature.
 * @example
 * const voucher = await signVoucher({ account, chainId: 31337, market, channelId: 1n, authorized: 1_000n });
 */
export async function signVoucher(parameters: SignVoucherParameters): Promise<SignVoucherReturnType> {
  const { account, chainId, market, channelId, authorized } = parameters;
  if (!account.signTypedData) {
    throw new VoucherSignerError('The voucher signer must be a local account (one that signs typed data itself).', {
      details: `account ${account.address} has no signTypedData`,
    });
  }
  if (channelId < 1n || authorized < 0n) throw new VoucherSignerError('A voucher needs a channel id ≥ 1 and a non-negative amount.');
  const signature: Hex = await account.signTypedData({
    domain: voucherDomain({ chainId, market }),
    types: voucherTypes,
    primaryType: voucherPrimaryType,
    message: { channelId, authorized },
  });
  return { channelId, authorized, signature };
}
