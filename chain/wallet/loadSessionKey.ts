import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { AgentError } from '../../core/AgentError.js';

/** Parameters of {@link loadSessionKey}. */
export type LoadSessionKeyParameters = {
  /** Key file (hex private key), e.g. `.y2c/keys/session.key`. */
  path: string;
  /** Create a fresh key when the file does not exist (local bootstrap). */
  create?: boolean;
};

/** The key file is missing, unreadable, malformed or readable by others. */
export class SessionKeyFileError extends AgentError {
  override name = 'SessionKeyFileError' as const;
}

/**
 * Loads the agent's session key from its file (mode 0600), creating it when asked. The session key
 * is the agent's only key: it can do only what the account's on-chain policy allows.
 *
 * @param parameters Path, and whether to create it.
 * @returns The key as a viem account.
 * @example const key = loadSessionKey({ path: '.y2c/keys/session.key', create: true });
 */
export function loadSessionKey(parameters: LoadSessionKeyParameters): PrivateKeyAccount {
  const { path, create = false } = parameters;
  if (!existsSync(path)) {
    if (!create) {
      throw new SessionKeyFileError(`No session key at ${path}.`, {
        details: 'Run `y2c up` (local) or `y2c session grant` to create and grant one.',
      });
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${generatePrivateKey()}\n`, { mode: 0o600, flag: 'wx' });
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    throw new SessionKeyFileError(`The session key file ${path} is readable by others (mode ${mode.toString(8)}).`, {
      details: `Run \`chmod 600 ${path}\`.`,
    });
  }
  const text = readFileSync(path, 'utf8').trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) {
    throw new SessionKeyFileError(`The session key file ${path} does not hold a 32-byte hex private key.`);
  }
  chmodSync(path, 0o600);
  return privateKeyToAccount(text as `0x${string}`);
}
