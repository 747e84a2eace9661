import { isAddressEqual } from 'viem';
import { VoucherMalformedError } from '../../chain/voucher/parseVoucherHeader.js';
import type { SignedVoucher } from '../../chain/voucher/voucherTypes.js';
import { protocolHeaders } from '../../protocol/protocolHeaders.js';
import { PaymentRequiredError } from '../PaymentRequiredError.js';
import type { ProviderContext } from './ProviderContext.js';

/**
 * Checks a voucher header against the chain: well formed, on an open channel to this provider,
 * signed by the channel's signer, within its deposit (re-read once before refusing, a top-up may be
 * newer than the cache). Whether it covers the request is the ledger's check (`store.reserve`).
 *
 * @param context The provider (verifier, channel reader, identity).
 * @param header The `x-y2c-voucher` header.
 * @returns The voucher.
 * @throws {PaymentRequiredError} `voucher_missing`, `voucher_malformed`, `channel_*`, `voucher_invalid_signature`, `voucher_exceeds_deposit`.
 * @example const voucher = await authorizeVoucher(context, req.headers['x-y2c-voucher']);
 */
export async function authorizeVoucher(context: ProviderContext, header: string | string[] | undefined): Promise<SignedVoucher> {
  const { verifier, channels, provider, chainId, market } = context;
  if (typeof header !== 'string' || header === '') {
    throw new PaymentRequiredError('voucher_missing', `Send a voucher in the ${protocolHeaders.voucher} header: channelId:authorized:signature.`);
  }
  let voucher: SignedVoucher;
  try {
    voucher = verifier.parse(header);
  } catch (error) {
    if (error instanceof VoucherMalformedError) throw new PaymentRequiredError('voucher_malformed', error.shortMessage, { details: error.details });
    throw error;
  }
  let channel = await channels.get(voucher.channelId);
  if (!channel) channel = await channels.get(voucher.channelId, { fresh: true });
  if (!channel) throw new PaymentRequiredError('channel_not_found', `Channel ${voucher.channelId} does not exist in the market.`);
  if (!isAddressEqual(channel.provider, provider)) {
    throw new PaymentRequiredError('channel_wrong_provider', `Channel ${voucher.channelId} pays ${channel.provider}, not this provider (${provider}).`);
  }
  if (channel.closed) throw new PaymentRequiredError('channel_closed', `Channel ${voucher.channelId} is closed.`);
  if (channel.closesAt !== 0n) {
    throw new PaymentRequiredError('channel_closing', `Channel ${voucher.channelId} is closing (its payer requested close); open or top up another.`);
  }
  try {
    verifier.verify(header, channel.signer);
  } catch {
    throw new PaymentRequiredError('voucher_invalid_signature', `The voucher is not signed by channel ${voucher.channelId}'s signer.`, {
      details: `expected ${channel.signer}; domain ComputeMarket/1, chain ${chainId}, market ${market}`,
    });
  }
  if (voucher.authorized > channel.deposit) {
    // A top-up may be newer than the cache: re-read before refusing.
    const fresh = await channels.get(voucher.channelId, { fresh: true });
    if (!fresh || voucher.authorized > fresh.deposit) {
      throw new PaymentRequiredError('voucher_exceeds_deposit', `The voucher authorizes ${voucher.authorized}, above the deposit of ${fresh?.deposit ?? channel.deposit}.`);
    }
    if (fresh.closesAt !== 0n || fresh.closed) throw new PaymentRequiredError('channel_closing', `Channel ${voucher.channelId} is closing.`);
  }
  return voucher;
}
