import { readFileSync } from 'node:fs';
import type { Account } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devAccount, devRoles } from '../devnet/devAccounts.js';
import { AgentError } from '../core/AgentError.js';
import type { Config } from '../config/types.js';

/** Who a command acts as. */
export type Role = 'owner' | 'staker' | 'provider';

/** Parameters of {@link roleAccount}. */
export type RoleAccountParameters = {
  /** Path of a file holding a hex private key (wins over everything). */
  keyFile?: string | undefined;
  /** Local devnet only: this anvil dev account (0-9, the funded ones). */
  devAccountIndex?: number | undefined;
};

const envOf: Record<Role, string> = { owner: 'Y2C_OWNER_KEY', staker: 'Y2C_STAKER_KEY', provider: 'Y2C_PROVIDER_KEY' };
const devIndexOf: Record<Role, number> = { owner: devRoles.owner, staker: devRoles.firstStaker, provider: devRoles.provider };

/**
 * The account a command acts with, for one role: a key file, else an explicit dev account on the
 * local devnet, else the role's environment key, else on the local devnet the role's dev account.
 *
 * @param config Loaded config.
 * @param role Owner (holds the agent NFT), staker, or provider.
 * @param parameters Key file or dev account index from the command line.
 * @returns The account, or throws with the variable to set.
 */
export function roleAccount(config: Config, role: Role, parameters: RoleAccountParameters = {}): Account {
  const local = config.network === 'local';
  if (parameters.keyFile) {
    const text = readFileSync(parameters.keyFile, 'utf8').trim();
    if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw new AgentError(`${parameters.keyFile} does not hold a 32-byte hex private key.`);
    return privateKeyToAccount(text as `0x${string}`);
  }
  const index = parameters.devAccountIndex;
  if (index !== undefined) {
    if (!local) throw new AgentError('--dev-account works only on the local devnet.');
    if (!Number.isInteger(index) || index < 0 || index > 9) throw new AgentError(`--dev-account must be 0-9 (the funded anvil accounts), got ${index}.`);
    return devAccount(index).account;
  }
  const key = config.keys[role];
  if (key) return privateKeyToAccount(key);
  if (local) return devAccount(devIndexOf[role]).account;
  throw new AgentError(role === 'staker' ? 'No key to act with.' : `The ${role} key is missing.`, {
    details: `Pass --key-file <path> or set ${envOf[role]}.`,
  });
}
