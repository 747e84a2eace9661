import { describe, expect, it } from 'vitest';
import { recoverTypedDataAddress, type Hex } from 'viem';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { secp256k1 } from '@noble/curves/secp256k1';
import { loadSecp256k1Engine, type Secp256k1EngineName } from './loadSecp256k1Engine.js';
import { recoverVoucherSigner } from './recoverVoucherSigner.js';
import { VoucherSignatureError } from './splitVoucherSignature.js';
import { signVoucher } from './signVoucher.js';
import { verifyVoucher } from './verifyVoucher.js';
import { voucherDomain } from './voucherDomain.js';
import { voucherPrimaryType, voucherTypes } from './voucherTypes.js';

const market = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const account = privateKeyToAccount(generatePrivateKey());
const engines: Secp256k1EngineName[] = ['libsecp256k1', '@noble/curves'];

describe('loadSecp256k1Engine', () => {
  it('prefers the native binding, and both engines recover the same key', async () => {
    const native = loadSecp256k1Engine('libsecp256k1');
    expect(loadSecp256k1Engine().name).toBe('libsecp256k1');
    expect(loadSecp256k1Engine().fallbackReason).toBeUndefined();
    const voucher = await signVoucher({ account, chainId: 31337, market, channelId: 2n, authorized: 7n });
    const keys = engines.map((name) => recoverVoucherSigner({ chainId: 31337, market, voucher, engine: loadSecp256k1Engine(name) }).publicKey);
    expect(Buffer.from(keys[0]!).toString('hex')).toBe(Buffer.from(keys[1]!).toString('hex'));
    expect(native.name).toBe('libsecp256k1');
  });
});

describe.each(engines)('recoverVoucherSigner (%s)', (name) => {
  const engine = loadSecp256k1Engine(name);

  it('recovers the signer, agreeing with viem on random vouchers', async () => {
    for (let i = 0; i < 20; i++) {
      const channelId = BigInt(1 + i * 7919);
      const authorized = BigInt(i) * 10n ** BigInt(i);
      const voucher = await signVoucher({ account, chainId: 31337, market, channelId, authorized });
      const viemSigner = await recoverTypedDataAddress({
        domain: voucherDomain({ chainId: 31337, market }),
        types: voucherTypes,
        primaryType: voucherPrimaryType,
        message: { channelId, authorized },
        signature: voucher.signature,
      });
      expect(recoverVoucherSigner({ chainId: 31337, market, voucher, engine }).address).toBe(account.address);
      expect(viemSigner).toBe(account.address);
    }
  });

  it('binds the signature to the amount, the channel, the chain and the market', async () => {
    const voucher = await signVoucher({ account, chainId: 31337, market, channelId: 3n, authorized: 500n });
    const ok = { chainId: 31337, market, signer: account.address, engine } as const;
    expect(verifyVoucher({ ...ok, voucher })).toBe(true);
    expect(verifyVoucher({ ...ok, voucher: { ...voucher, authorized: 501n } })).toBe(false);
    expect(verifyVoucher({ ...ok, voucher: { ...voucher, channelId: 4n } })).toBe(false);
    expect(verifyVoucher({ ...ok, chainId: 1, voucher })).toBe(false);
    expect(verifyVoucher({ ...ok, market: '0x0000000000000000000000000000000000000001', voucher })).toBe(false);
  });

  it('rejects the malleable high-s twin, a bad v and malformed signatures, as the market does', async () => {
    const voucher = await signVoucher({ account, chainId: 31337, market, channelId: 1n, authorized: 1n });
    const ok = { chainId: 31337, market, signer: account.address, engine } as const;
    const s = BigInt(`0x${voucher.signature.slice(66, 130)}`);
    const v = Number.parseInt(voucher.signature.slice(130), 16);
    const highS = (secp256k1.CURVE.n - s).toString(16).padStart(64, '0');
    const twin = `${voucher.signature.slice(0, 66)}${highS}${(v === 27 ? 28 : 27).toString(16)}` as Hex;
    expect(() => recoverVoucherSigner({ chainId: 31337, market, engine, voucher: { ...voucher, signature: twin } })).toThrow(VoucherSignatureError);
    expect(verifyVoucher({ ...ok, voucher })).toBe(true);
    expect(verifyVoucher({ ...ok, voucher: { ...voucher, signature: twin } })).toBe(false);
    const badV = `${voucher.signature.slice(0, 130)}01` as Hex;
    expect(() => recoverVoucherSigner({ chainId: 31337, market, engine, voucher: { ...voucher, signature: badV } })).toThrow(/v must be 27 or 28/);
    expect(verifyVoucher({ ...ok, voucher: { ...voucher, signature: badV } })).toBe(false);
    const zero = `0x${'00'.repeat(64)}1b` as Hex;
    expect(() => recoverVoucherSigner({ chainId: 31337, market, engine, voucher: { ...voucher, signature: zero } })).toThrow(VoucherSignatureError);
    expect(verifyVoucher({ ...ok, voucher: { ...voucher, signature: zero } })).toBe(false);
    const rAtN = `0x${secp256k1.CURVE.n.toString(16)}${voucher.signature.slice(66)}` as Hex;
    expect(() => recoverVoucherSigner({ chainId: 31337, market, engine, voucher: { ...voucher, signature: rAtN } })).toThrow(VoucherSignatureError);
    // r = 5 is below n but no curve point has x = 5: nothing recovers.
    const noPoint = `0x${'5'.padStart(64, '0')}${voucher.signature.slice(66)}` as Hex;
    expect(() => recoverVoucherSigner({ chainId: 31337, market, engine, voucher: { ...voucher, signature: noPoint } })).toThrow(
      /no public key recovers/,
    );
    expect(verifyVoucher({ ...ok, voucher: { ...voucher, signature: noPoint } })).toBe(false);
    const short = voucher.signature.slice(0, 130) as Hex;
    expect(verifyVoucher({ ...ok, voucher: { ...voucher, signature: short } })).toBe(false);
  });
});

describe.each(engines)('verifyVoucher (%s)', (name) => {
  const engine = loadSecp256k1Engine(name);

  it('agrees with recovery on many vouchers once the key is known, including tampered ones', async () => {
    const signer = privateKeyToAccount(generatePrivateKey());
    const ok = { chainId: 31337, market, signer: signer.address, engine } as const;
    for (let i = 0; i < 30; i++) {
      const voucher = await signVoucher({ account: signer, chainId: 31337, market, channelId: 9n, authorized: BigInt(i * 1000 + 1) });
      expect(verifyVoucher({ ...ok, voucher })).toBe(true);
      expect(verifyVoucher({ ...ok, voucher: { ...voucher, authorized: voucher.authorized + 1n } })).toBe(false);
      const v = Number.parseInt(voucher.signature.slice(130), 16);
      const flipped = `${voucher.signature.slice(0, 130)}${(v === 27 ? 28 : 27).toString(16)}` as Hex;
      expect(verifyVoucher({ ...ok, voucher: { ...voucher, signature: flipped } })).toBe(false);
      const foreign = await signVoucher({ account, chainId: 31337, market, channelId: 9n, authorized: voucher.authorized });
      expect(verifyVoucher({ ...ok, voucher: foreign })).toBe(false);
    }
  });

  it('stays exact across many signers, each rejected for the others', async () => {
    const signers = Array.from({ length: 40 }, () => privateKeyToAccount(generatePrivateKey()));
    for (let round = 0; round < 2; round++) {
      for (const [i, s] of signers.entries()) {
        const voucher = await signVoucher({ account: s, chainId: 31337, market, channelId: BigInt(i + 1), authorized: BigInt(round * 100 + i) });
        expect(verifyVoucher({ chainId: 31337, market, voucher, signer: s.address, engine })).toBe(true);
        expect(verifyVoucher({ chainId: 31337, market, voucher, signer: signers[(i + 1) % signers.length]!.address, engine })).toBe(false);
      }
    }
  });
});
