import { createRequire } from 'node:module';
import { secp256k1 } from '@noble/curves/secp256k1';
import { AgentError } from '../../core/AgentError.js';
import { firstLine } from '../../core/firstLine.js';

/** Which secp256k1 implementation recovers voucher signers. */
export type Secp256k1EngineName = 'libsecp256k1' | '@noble/curves';

/** A secp256k1 public-key recovery, native or pure JS; both decide exactly alike. */
export type Secp256k1Engine = {
  /** `libsecp256k1` (the native binding) or `@noble/curves` (pure JS, about 30 times slower). */
  name: Secp256k1EngineName;
  /** Why the native binding is not used, when this is the fallback chosen by default. */
  fallbackReason?: string;
  /**
   * The 65-byte uncompressed public key that signed `digest`.
   * @param signature 64 bytes, `r || s`.
   * @param recoveryId 0 or 1 (`v - 27`).
   * @param digest The 32-byte digest.
   * @throws When no public key recovers from the signature.
   */
  recoverPublicKey: (signature: Uint8Array, recoveryId: 0 | 1, digest: Uint8Array) => Uint8Array;
  /**
   * Signs a 32-byte digest (RFC 6979, low s: both engines give the same signature).
   * @param digest The digest.
   * @param privateKey The 32-byte key.
   * @returns `r || s` (64 bytes) and the recovery id.
   */
  sign: (digest: Uint8Array, privateKey: Uint8Array) => { signature: Uint8Array; recoveryId: 0 | 1 };
};

/** The native libsecp256k1 binding was asked for by name and cannot load here. */
export class Secp256k1EngineUnavailableError extends AgentError {
  override name = 'Secp256k1EngineUnavailableError' as const;
}

const noble: Secp256k1Engine = {
  name: '@noble/curves',
  recoverPublicKey: (signature, recoveryId, digest) =>
    secp256k1.Signature.fromCompact(signature).addRecoveryBit(recoveryId).recoverPublicKey(digest).toRawBytes(false),
  sign: (digest, privateKey) => {
    const signature = secp256k1.sign(digest, privateKey, { lowS: true });
    return { signature: signature.toCompactRawBytes(), recoveryId: signature.recovery as 0 | 1 };
  },
};
let native: Secp256k1Engine | Error | undefined;
let fallback: Secp256k1Engine | undefined;

function loadNative(): Secp256k1Engine | Error {
  if (native) return native;
  try {
    // bindings.js, not the package's index.js: that one silently falls back to pure-JS elliptic.
    const binding = createRequire(import.meta.url)('secp256k1/bindings.js') as typeof import('secp256k1');
    native = {
      name: 'libsecp256k1',
      recoverPublicKey: (signature, recoveryId, digest) => binding.ecdsaRecover(signature, recoveryId, digest, false),
      sign: (digest, privateKey) => {
        const { signature, recid } = binding.ecdsaSign(digest, privateKey);
        return { signature, recoveryId: recid as 0 | 1 };
      },
    };
  } catch (cause) {
    native = cause instanceof Error ? cause : new Error(String(cause));
  }
  return native;
}

/**
 * The secp256k1 engine for voucher verification: the native libsecp256k1 binding (npm `secp256k1`,
 * loaded once, on first use) when it loads, otherwise pure-JS @noble/curves, with the reason in
 * `fallbackReason`. Naming an engine returns exactly that one (tests run every check on both).
 *
 * @param name An engine to insist on; by default the fastest that loads.
 * @returns The engine.
 * @throws {Secp256k1EngineUnavailableError} When `libsecp256k1` is named and its binding cannot load.
 * @example const { name } = loadSecp256k1Engine(); // 'libsecp256k1'
 */
export function loadSecp256k1Engine(name?: Secp256k1EngineName): Secp256k1Engine {
  if (name === '@noble/curves') return noble;
  const loaded = loadNative();
  if (!(loaded instanceof Error)) return loaded;
  if (name === 'libsecp256k1') {
    throw new Secp256k1EngineUnavailableError('The native libsecp256k1 binding cannot load.', { cause: loaded, details: loaded.message });
  }
  fallback ??= { ...noble, fallbackReason: `libsecp256k1 binding did not load: ${firstLine(loaded)}` };
  return fallback;
}
