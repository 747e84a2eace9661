import type { Address, TypedDataDomain } from 'viem';

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
