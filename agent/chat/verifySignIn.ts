import type { Address, Client, Hex } from 'viem';
import { parseSiweMessage, validateSiweMessage, verifySiweMessage } from 'viem/siwe';
import type { CreateNonceStoreReturnType } from './createNonceStore.js';
import { ChatBadRequestError, SignInError } from './errors.js';

/** Parameters of {@link verifySignIn}. */
export type VerifySignInParameters = {
  /** Reads ERC-1271/6492 signatures of smart accounts; EOAs are recovered locally. */
  client: Client;
  /** The nonces this server issued. */
  nonces: CreateNonceStoreReturnType;
  /** The EIP-4361 message as signed. */
  message: string;
  /** Its signature. */
  signature: Hex;
  /** The expected `domain` (host[:port] of the chat server). */
  domain: string;
  /** The expected `uri` (origin of the chat server); the message's URI must start with it. */
  uri: string;
  /** The expected chain id. */
  chainId: number;
  /** Largest accepted age of `issuedAt`, seconds (default 300). */
  maxAgeSeconds?: number;
  /** Clock skew tolerated for `issuedAt` in the future, seconds (default 60). */
  skewSeconds?: number;
  /** Clock (unix ms). */
  now?: () => number;
};

/** The verified signer. */
export type VerifySignInReturnType = { address: Address; expiresAt: Date };

/**
 * Checks a Sign-In with Ethereum message field by field (nonce issued here and live, domain, URI,
 * chain id, version, issued-at not in the future nor too old, an expiration in the future,
 * not-before passed), then the signature, and only then consumes the nonce.
 *
 * @param parameters The message, signature and what the server expects.
 * @returns The signer's address and the message's expiry.
 * @throws {SignInError} On any mismatch (401).
 * @throws {ChatBadRequestError} When the message cannot be parsed at all (400).
 * @example
 * const { address } = await verifySignIn({ client, nonces, message, signature, domain: 'localhost:8788', uri: 'http://localhost:8788', chainId: 31337 })
 */
export async function verifySignIn(parameters: VerifySignInParameters): Promise<VerifySignInReturnType> {
  const { client, nonces, message, signature, domain, uri, chainId } = parameters;
  const now = new Date((parameters.now ?? Date.now)());
  const maxAgeMs = (parameters.maxAgeSeconds ?? 300) * 1000;
  const skewMs = (parameters.skewSeconds ?? 60) * 1000;
  const fields = parseSiweMessage(message);
  if (!fields.address || !fields.domain || !fields.nonce || !fields.uri || fields.chainId === undefined || !fields.issuedAt) {
    throw new ChatBadRequestError('The sign-in message is not an EIP-4361 message with address, domain, URI, chain id, nonce and issued-at.');
  }
  if (fields.domain !== domain) throw new SignInError(`The message was made for ${fields.domain}, not ${domain}.`);
  if (!onOrigin(fields.uri, uri)) throw new SignInError(`The message's URI ${fields.uri} is not on ${uri}.`);
  if (fields.chainId !== chainId) throw new SignInError(`The message is for chain ${fields.chainId}; this agent is on chain ${chainId}.`);
  if (fields.version !== '1') throw new SignInError('Only version 1 sign-in messages are accepted.');
  if (!nonces.isLive(fields.nonce)) throw new SignInError('The nonce is unknown, used or expired: ask for a new one.');
  if (fields.issuedAt.getTime() > now.getTime() + skewMs) throw new SignInError('The message is issued in the future.');
  if (fields.issuedAt.getTime() < now.getTime() - maxAgeMs) throw new SignInError('The message was issued too long ago: sign a new one.');
  if (!fields.expirationTime) throw new SignInError('The message must carry an expiration time.');
  if (fields.expirationTime.getTime() <= now.getTime()) throw new SignInError('The message has expired.');
  if (!validateSiweMessage({ message: fields, domain, nonce: fields.nonce, time: now })) {
    throw new SignInError('The message is not valid yet or not for this server.');
  }
  let valid: boolean;
  try {
    valid = await verifySiweMessage(client, { message, signature, domain, nonce: fields.nonce, address: fields.address, time: now });
  } catch (cause) {
    throw new SignInError('The signature could not be checked.', { cause });
  }
  if (!valid) throw new SignInError(`The signature is not ${fields.address}'s.`);
  // Consumed only now, atomically: of two concurrent valid attempts only one gets a session.
  if (!nonces.consume(fields.nonce)) throw new SignInError('The nonce was used meanwhile: ask for a new one.');
  return { address: fields.address, expiresAt: fields.expirationTime };
}

/** True when `candidate` is `origin` itself or a URL on it (same scheme, host and port, not a longer host). */
function onOrigin(candidate: string, origin: string): boolean {
  try {
    return new URL(candidate).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}
