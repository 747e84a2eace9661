import type { Address, TypedDataDomain } from 'viem';

/** The EIP-712 types of a voucher: `Voucher(uint256 channelId,uint256 authorized)`. */
export const voucherTypes = {
  Voucher: [
    { name: 'channelId', type: 'uint256' },
    { name: 'authorized', type: 'uint256' },
  ],
} as const;

/** The EIP-712 primary type of a voucher. */
export const voucherPrimaryType = 'Voucher' as const;

/** A payment-channel voucher: the signer allows the provider to take `authorized` in total from the channel. */
export type Voucher = {
  /** Channel id (ids start at 1). */
  channelId: bigint;
  /** Cumulative amount the provider may take over the channel's life, in payment-token units. */
  authorized: bigint;
};

/** A voucher with its 65-byte signature. */
export type SignedVoucher = Voucher & {
  /** 65-byte `r || s || v` signature, 0x-prefixed. */
  signature: `0x${string}`;
};

/** Parameters of {@link voucherDomain}. */
export type VoucherDomainParameters = {
  /** Chain id. */
  chainId: number;
  /** The ComputeMarket contract (EIP-712 `verifyingContract`). */
  market: Address;
};

/** The EIP-712 domain of vouchers for one market on one chain. */
export type VoucherDomainReturnType = TypedDataDomain & { name: 'ComputeMarket'; version: '1'; chainId: number; verifyingContract: Address };

/**
 * The EIP-712 domain under which vouchers of `market` on `chainId` are signed.
 *
 * @param parameters The chain and the market.
 * @returns `{ name: 'ComputeMarket', version: '1', chainId, verifyingContract: market }`.
 * @example const domain = voucherDomain({ chainId: 31337, market });
 */
export function voucherDomain(parameters: VoucherDomainParameters): VoucherDomainReturnType {
  return { name: 'ComputeMarket', version: '1', chainId: parameters.chainId, verifyingContract: parameters.market };
}

/** The HTTP header that carries a voucher: `channelId:authorized:signature`. */
export const voucherHeaderName = 'x-y2c-voucher' as const;
