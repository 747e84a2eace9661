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
