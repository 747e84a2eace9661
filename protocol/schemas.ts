import { getAddress, isAddress, type Address, type Hex } from 'viem';
import { z } from 'zod';
import { protocolHeaders } from './protocolHeaders.js';

/** A non-negative integer as a decimal string on the wire, a bigint once read. */
export const uintString = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, 'expected a non-negative integer as a decimal string')
  .transform((value) => BigInt(value));

/** A 20-byte address on the wire, checksummed once read. */
export const addressString = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), 'expected a 20-byte hex address')
  .transform((value) => getAddress(value) as Address);

/** What a model takes (`modelInfo` of `/y2c/info`). */
export const modelInfoSchema = z.object({
  /** Context window in tokens, when known. */
  contextLength: z.number().int().positive().optional(),
  /** Whether the model takes `tools`. */
  tools: z.boolean(),
});

/**
 * `GET /y2c/info`: who the provider is and what it charges. The first fields are what a payer needs
 * (a provider need not send more); the rest describe the node.
 */
export const providerInfoSchema = z.object({
  provider: addressString,
  market: addressString,
  chainId: z.number().int().positive(),
  priceInPerMTok: uintString,
  priceOutPerMTok: uintString,
  defaultMaxTokens: uintString,
  models: z.array(z.string()),
  maxBodyBytes: z.number().int().positive().optional(),
  modelInfo: z.record(z.string(), modelInfoSchema).optional(),
  backend: z.string().optional(),
  voucherHeader: z.literal(protocolHeaders.voucher).optional(),
  x402: z.object({ version: z.literal(2), network: z.string(), schemes: z.array(z.string()) }).optional(),
});

/** `GET /y2c/info` on the wire (what the provider sends). */
export type ProviderInfoWire = z.input<typeof providerInfoSchema>;
/** `GET /y2c/info` once read (bigints, checksummed addresses). */
export type ProviderInfoMessage = z.output<typeof providerInfoSchema>;

/** A provider as a payer knows it: what `GET /y2c/info` says it charges, and where it answers. */
export type ProviderInfo = Pick<ProviderInfoMessage, 'provider' | 'market' | 'chainId' | 'priceInPerMTok' | 'priceOutPerMTok' | 'defaultMaxTokens' | 'models'> & {
  /** Origin of the provider (scheme, host, port). */
  origin: string;
};

/** `GET /y2c/channels/:id`: the provider's ledger of one channel. */
export const channelStateSchema = z.object({
  channelId: uintString,
  spent: uintString,
  authorized: uintString,
  reserved: uintString,
  redeemed: uintString,
});

/** `GET /y2c/channels/:id` on the wire. */
export type ChannelStateWire = z.input<typeof channelStateSchema>;
/** `GET /y2c/channels/:id` once read. */
export type ChannelState = z.output<typeof channelStateSchema>;

/** 0x-prefixed hex on the wire. */
export const hexString = z
  .string()
  .regex(/^0x[0-9a-fA-F]*$/, 'expected 0x-prefixed hex')
  .transform((value) => value as Hex);

/** A signed receipt in its wire form (JSON; the `x-y2c-receipt` header carries it base64url-encoded). */
export const receiptWireSchema = z.object({
  channelId: z.string(),
  requestHash: hexString,
  responseHash: hexString,
  model: z.string(),
  tokensIn: z.string(),
  tokensOut: z.string(),
  cost: z.string(),
  spentAfter: z.string(),
  signature: hexString,
});

/** The `y2c` field of a paid stream's last chunk: the final figures, after the ledger is written. */
export const streamSettlementSchema = z.object({
  cost: uintString,
  spent: uintString,
  authorized: uintString,
  receipt: receiptWireSchema.optional(),
});

/** A stream's settlement on the wire. */
export type StreamSettlementWire = z.input<typeof streamSettlementSchema>;
/** A stream's settlement once read. */
export type StreamSettlement = z.output<typeof streamSettlementSchema>;

/** Every refusal's body, OpenAI's shape: `{ error: { type, code, message } }`. */
export const errorBodySchema = z.object({
  error: z.object({ type: z.string(), code: z.string(), message: z.string() }),
});

/** A refusal's body. */
export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * `POST /v1/chat/completions`: what the provider needs to price and route a request. Other fields
 * pass (the provider forwards a fixed set and refuses the ones it cannot price, see upstreamRequest).
 */
export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.unknown()).min(1),
  stream: z.boolean().nullable().optional(),
});

/** A chat-completions request body once read. */
export type ChatCompletionRequest = z.output<typeof chatCompletionRequestSchema>;
