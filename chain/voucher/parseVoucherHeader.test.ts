import { describe, expect, it } from 'vitest';
import { formatVoucherHeader } from './formatVoucherHeader.js';
import { parseVoucherHeader, VoucherMalformedError } from './parseVoucherHeader.js';

const sig = `0x${'ab'.repeat(65)}` as const;

describe('parseVoucherHeader', () => {
  it('round-trips with formatVoucherHeader', () => {
    const voucher = { channelId: 12n, authorized: 10n ** 30n, signature: sig };
    const header = formatVoucherHeader(voucher);
    expect(header).toBe(`12:${10n ** 30n}:${sig}`);
    expect(parseVoucherHeader(header)).toEqual(voucher);
    expect(parseVoucherHeader(`1:0:${sig.toUpperCase().replace('0X', '0x')}`).signature).toBe(sig);
  });

  it.each([
    ['', 'three parts'],
    ['1:2', 'three parts'],
    [`1:2:${sig}:4`, 'three parts'],
    [`0:2:${sig}`, 'start at 1'],
    [`01:2:${sig}`, 'channel id'],
    [`-1:2:${sig}`, 'channel id'],
    [`1:1e3:${sig}`, 'authorized'],
    [`1:0x10:${sig}`, 'authorized'],
    [`1: 2:${sig}`, 'authorized'],
    [`1:${2n ** 256n}:${sig}`, 'uint256'],
    ['1:2:0xabcd', 'signature'],
    [`1:2:${sig.slice(2)}`, 'signature'],
    [`1:2:0x${'zz'.repeat(65)}`, 'signature'],
  ])('rejects %j', (header, why) => {
    expect(() => parseVoucherHeader(header)).toThrow(VoucherMalformedError);
    expect(() => parseVoucherHeader(header)).toThrow(why);
  });
});
