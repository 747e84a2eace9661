import { describe, expect, it } from 'vitest';
import { jsonReplacer } from '../core/jsonReplacer.js';
import { matchChannelPath } from './matchChannelPath.js';
import { parseMessage } from './parseMessage.js';
import { ProtocolError } from './ProtocolError.js';
import { protocolHeaders } from './protocolHeaders.js';
import { channelPath } from './providerPaths.js';
import {
  channelStateSchema,
  chatCompletionRequestSchema,
  errorBodySchema,
  providerInfoSchema,
  streamSettlementSchema,
  type ChannelStateWire,
  type ErrorBody,
  type ProviderInfoWire,
  type StreamSettlementWire,
} from './schemas.js';

const address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const market = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const info: ProviderInfoWire = {
  provider: address,
  market,
  chainId: 31337,
  priceInPerMTok: '500000',
  priceOutPerMTok: '1500000',
  defaultMaxTokens: '64',
  models: ['scripted'],
  maxBodyBytes: 16384,
  modelInfo: { scripted: { contextLength: 4096, tools: true } },
  backend: 'openai',
  voucherHeader: protocolHeaders.voucher,
  x402: { version: 2, network: 'eip155:31337', schemes: ['batch-settlement', 'exact'] },
};
const channel: ChannelStateWire = { channelId: '7', spent: '120', authorized: '300', reserved: '0', redeemed: '100' };
const hash = `0x${'ab'.repeat(32)}` as const;
const settlement: StreamSettlementWire = {
  cost: '20',
  spent: '140',
  authorized: '300',
  receipt: { channelId: '7', requestHash: hash, responseHash: hash, model: 'scripted', tokensIn: '9', tokensOut: '4', cost: '20', spentAfter: '140', signature: `0x${'11'.repeat(65)}` },
};
const refusal: ErrorBody = { error: { type: 'payment_required', code: 'voucher_insufficient', message: 'The voucher leaves 3 available.' } };
const request = { model: 'scripted', messages: [{ role: 'user', content: 'hi' }], stream: true, max_tokens: 8, temperature: 0 };

/** What goes over the wire after a message is read and written back. */
const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value, jsonReplacer)) as unknown;

describe('the wire protocol', () => {
  it('reads and writes back every message unchanged', () => {
    expect(roundTrip(parseMessage(providerInfoSchema, 'ProviderInfo', info))).toEqual(info);
    expect(roundTrip(parseMessage(channelStateSchema, 'ChannelState', channel))).toEqual(channel);
    expect(roundTrip(parseMessage(streamSettlementSchema, 'StreamSettlement', settlement))).toEqual(settlement);
    expect(roundTrip(parseMessage(errorBodySchema, 'ErrorBody', refusal))).toEqual(refusal);
    expect(roundTrip(parseMessage(chatCompletionRequestSchema, 'ChatCompletionRequest', request))).toEqual(request);
  });

  it('reads amounts as bigints and addresses checksummed', () => {
    const read = parseMessage(providerInfoSchema, 'ProviderInfo', { ...info, provider: address.toLowerCase() });
    expect(read.provider).toBe(address);
    expect(read.priceOutPerMTok).toBe(1_500_000n);
    expect(parseMessage(channelStateSchema, 'ChannelState', channel).spent).toBe(120n);
    // A payer needs only the terms: a provider may send no more.
    const { maxBodyBytes: _m, modelInfo: _i, backend: _b, voucherHeader: _v, x402: _x, ...terms } = info;
    expect(parseMessage(providerInfoSchema, 'ProviderInfo', terms).models).toEqual(['scripted']);
  });

  it('refuses a wrong message with a ProtocolError naming each bad field', () => {
    const refused = (read: () => unknown) => {
      try {
        read();
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
        return (error as ProtocolError).issues.map((issue) => issue.split(':')[0]);
      }
      throw new Error('accepted');
    };
    expect(refused(() => parseMessage(providerInfoSchema, 'ProviderInfo', { ...info, market: '0x12', priceInPerMTok: '-1' }))).toEqual(['market', 'priceInPerMTok']);
    expect(refused(() => parseMessage(channelStateSchema, 'ChannelState', { ...channel, spent: 120 }))).toEqual(['spent']);
    expect(refused(() => parseMessage(streamSettlementSchema, 'StreamSettlement', { ...settlement, cost: '1.5' }))).toEqual(['cost']);
    expect(refused(() => parseMessage(errorBodySchema, 'ErrorBody', { error: 'nope' }))).toEqual(['error']);
    expect(refused(() => parseMessage(chatCompletionRequestSchema, 'ChatCompletionRequest', { model: 5, messages: [] }))).toEqual(['model', 'messages']);
    expect(refused(() => parseMessage(chatCompletionRequestSchema, 'ChatCompletionRequest', [1]))).toEqual(['(body)']);
  });

  it('names a channel path one way for both sides', () => {
    expect(matchChannelPath(channelPath(42n))).toBe(42n);
    expect(matchChannelPath(`${channelPath(42n)}/x`)).toBeUndefined();
    expect(matchChannelPath('/y2c/channels/0')).toBeUndefined();
  });
});
