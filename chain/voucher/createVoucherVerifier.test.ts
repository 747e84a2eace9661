import { describe, expect, it } from 'vitest';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createVoucherVerifier } from './createVoucherVerifier.js';
import { formatVoucherHeader } from './formatVoucherHeader.js';
import type { Secp256k1EngineName } from './loadSecp256k1Engine.js';
import { VoucherMalformedError } from './parseVoucherHeader.js';
import { signVoucher } from './signVoucher.js';
import { VoucherSignatureError } from './splitVoucherSignature.js';

const market = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

describe.each(['libsecp256k1', '@noble/curves'] satisfies Secp256k1EngineName[])('createVoucherVerifier (%s)', (engine) => {
  it('reports its engine', () => {
    const verifier = createVoucherVerifier({ chainId: 31337, market, engine });
    expect(verifier.engine).toBe(engine);
    expect(verifier.fallbackReason).toBeUndefined();
  });

  it('verifies headers for the right signer only, and keeps answering the same after eviction', async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const other = privateKeyToAccount(generatePrivateKey());
    const verifier = createVoucherVerifier({ chainId: 31337, market, cacheSize: 2, engine });
    const headers = await Promise.all(
      [1n, 2n, 3n].map(async (authorized) => formatVoucherHeader(await signVoucher({ account, chainId: 31337, market, channelId: 1n, authorized }))),
    );
    for (let round = 0; round < 2; round++) {
      for (const [i, header] of headers.entries()) {
        expect(verifier.verify(header, account.address)).toMatchObject({ channelId: 1n, authorized: BigInt(i + 1) });
        expect(() => verifier.verify(header, other.address)).toThrow(VoucherSignatureError);
      }
    }
    expect(() => verifier.parse('1:2:3')).toThrow(VoucherMalformedError);
  });
});
