import { erc721Abi, getAddress, type Address, type Client } from 'viem';
import { readContract, watchContractEvent } from 'viem/actions';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import type { PassConfig } from '../../config/types.js';
import type { Logger } from '../../core/Logger.js';

/** Parameters of {@link createMemberReads}. */
export type CreateMemberReadsParameters = {
  client: Client;
  /** The agent's vault. */
  vault: Address;
  /** The chat pass (an ERC-721 pass is watched for transfers). */
  pass: PassConfig;
  log: Logger;
  /** A cached figure older than this is read again (default 15 s): attributed yield grows with time, without events. */
  maxAgeMs?: number;
};

/** A member's chain figures, cached. */
export type MemberReads = {
  /** The member's principal in the vault (`principalOf`). */
  principalOf: (address: Address) => Promise<bigint>;
  /** The yield the vault attributes to the member (`computeBalanceOf`). */
  computeBalanceOf: (address: Address) => Promise<bigint>;
  /** How many tokens of the ERC-721 pass the member holds. */
  passBalanceOf: (token: Address, address: Address) => Promise<bigint>;
  /** Drops what is cached for a member (every member without an address). */
  invalidate: (address?: Address) => void;
  /** Stops watching. */
  stop: () => void;
};

type Entry = { at: number; value: Promise<bigint> };
/** Members cached at most (the cache starts over past it). */
const maxEntries = 10_000;

/**
 * The chat's reads of a member's pass and quota, cached per member and invalidated by the events that
 * change them: the vault's `Staked`/`Unstaked` (that member), `YieldAttributed`/`Harvested`/
 * `LossReported` (everyone), the pass token's `Transfer` (both sides), and an age limit. A chat turn
 * then checks the pass and the quota from memory, before and after the reply, instead of reading the
 * chain four times. The caller reads again (after `invalidate`) before refusing a member for quota,
 * so a cached low balance never refuses a member whose yield has grown since.
 *
 * @param parameters Client, vault, pass and log.
 * @returns The cached reads and `stop`.
 * @example const reads = createMemberReads({ client, vault, pass: config.agent.pass, log }); await reads.principalOf(member)
 */
export function createMemberReads(parameters: CreateMemberReadsParameters): MemberReads {
  const { client, vault, pass, log } = parameters;
  const maxAgeMs = parameters.maxAgeMs ?? 15_000;
  const cache = new Map<string, Entry>();
  const cached = (key: string, read: () => Promise<bigint>): Promise<bigint> => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at <= maxAgeMs) return hit.value;
    if (cache.size >= maxEntries) cache.clear();
    const entry: Entry = { at: Date.now(), value: read() };
    cache.set(key, entry);
    entry.value.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return entry.value;
  };
  const invalidate = (address?: Address) => {
    if (!address) return cache.clear();
    const suffix = `:${getAddress(address)}`;
    for (const key of [...cache.keys()]) if (key.endsWith(suffix)) cache.delete(key);
  };
  const onError = (error: Error) => log.warn('member reads watch error', { error: error.message.split('\n')[0] });
  const unwatch = [
    watchContractEvent(client, {
      address: vault,
      abi: yieldVaultAbi,
      onLogs: (logs) => {
        for (const entry of logs) {
          const args = entry.args as { staker?: Address };
          if ((entry.eventName === 'Staked' || entry.eventName === 'Unstaked') && args.staker) invalidate(args.staker);
          else invalidate();
        }
      },
      onError,
    }),
    ...(pass.kind === 'erc721'
      ? [
          watchContractEvent(client, {
            address: pass.token,
            abi: erc721Abi,
            eventName: 'Transfer',
            onLogs: (logs) => {
              for (const entry of logs) {
                if (entry.args.from) invalidate(entry.args.from);
                if (entry.args.to) invalidate(entry.args.to);
              }
            },
            onError,
          }),
        ]
      : []),
  ];
  return {
    principalOf: (address) => cached(`principal:${getAddress(address)}`, () => readContract(client, { address: vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [address] })),
    computeBalanceOf: (address) => cached(`balance:${getAddress(address)}`, () => readContract(client, { address: vault, abi: yieldVaultAbi, functionName: 'computeBalanceOf', args: [address] })),
    passBalanceOf: (token, address) => cached(`pass:${getAddress(token)}:${getAddress(address)}`, () => readContract(client, { address: token, abi: erc721Abi, functionName: 'balanceOf', args: [address] })),
    invalidate,
    stop: () => {
      for (const stop of unwatch) stop();
    },
  };
}
