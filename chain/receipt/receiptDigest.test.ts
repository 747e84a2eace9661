import { hashTypedData, keccak256, stringToHex, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { loadSecp256k1Engine } from '../voucher/loadSecp256k1Engine.js';
import { voucherDomain } from '../voucher/voucherDomain.js';
import { receiptDigest } from './receiptDigest.js';
import { receiptPrimaryType, receiptTypes, type Receipt } from './receiptTypes.js';
import { recoverReceiptSigner } from './recoverReceiptSigner.js';
import { signReceipt } from './signReceipt.js';

const market = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const chainId = 31337;
const receiptAt = (i: number): Receipt => ({
  channelId: BigInt(i + 1),
  requestHash: keccak256(stringToHex(`request ${i}`)),
  responseHash: keccak256(stringToHex(`response ${i}`)),
  model: i % 2 ? 'scripted' : 'y2c-chat ünïcode',
  tokensIn: BigInt(i * 7),
  tokensOut: BigInt(i * 3),
  cost: BigInt(i * 11),
  spentAfter: 2n ** 200n + BigInt(i),
});

describe('receipt digest and native signing', () => {
  it('the hand-made digest is viem’s EIP-712 hash of the receipt', () => {
    for (let i = 0; i < 20; i++) {
      const receipt = receiptAt(i);
      expect(toHex(receiptDigest(chainId, market, receipt))).toBe(hashTypedData({ domain: voucherDomain({ chainId, market }), types: receiptTypes, primaryType: receiptPrimaryType, message: receipt }));
    }
  });

  for (const name of ['libsecp256k1', '@noble/curves'] as const) {
    it(`${name}: signs exactly what the account signs, and recovers the signer`, async () => {
      const engine = loadSecp256k1Engine(name);
      for (let i = 0; i < 10; i++) {
        const privateKey: Hex = generatePrivateKey();
        const account = privateKeyToAccount(privateKey);
        const receipt = receiptAt(i);
        const viaAccount = await signReceipt({ account, chainId, market, receipt });
        const native = await signReceipt({ account, chainId, market, receipt, privateKey, engine });
        expect(native.signature).toBe(viaAccount.signature);
        expect(await recoverReceiptSigner({ chainId, market, receipt: native, engine })).toBe(account.address);
        // Another market or a changed figure recovers someone else.
        expect(await recoverReceiptSigner({ chainId, market: '0x0000000000000000000000000000000000000001', receipt: native, engine })).not.toBe(account.address);
        expect(await recoverReceiptSigner({ chainId, market, receipt: { ...native, cost: native.cost + 1n }, engine })).not.toBe(account.address);
      }
    });
  }
});
