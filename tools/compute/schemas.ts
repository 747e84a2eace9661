import { z } from 'zod';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an 0x-prefixed 20-byte address');
const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal amount such as "2.5"');

/** Input of list_compute_providers. */
export const listComputeProvidersSchema = z.object({
  trustedOnly: z.boolean().default(false).describe('Only list providers the agent is allowed to pay (its trusted providers).'),
});

/** Input of buy_compute. */
export const buyComputeSchema = z.object({
  provider: address.describe('Address of a trusted compute provider registered in the market.'),
  amount: decimal.describe('Payment-token amount to deposit into the channel, as a decimal string (e.g. "2.5" for 2.5 USDx).'),
});

/** Input of close_compute_channel. */
export const closeComputeChannelSchema = z.object({
  channelId: z.string().regex(/^\d+$/, 'a channel id in decimal').describe('Id of one of the agent\'s payment channels, in decimal.'),
});

/** Input of buy_x402_service. */
export const buyX402ServiceSchema = z.object({
  url: z.string().url().describe('Full URL to buy, under one of the allowlisted x402 services.'),
  method: z.enum(['GET', 'POST']).optional().describe('HTTP method (GET by default).'),
  body: z.string().max(8_000).optional().describe('JSON request body for POST.'),
});
