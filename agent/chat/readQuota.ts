import { formatUnits, type Address, type Client } from 'viem';
import { readContract } from 'viem/actions';
import { yieldConverterAbi } from '../../chain/abi/generated/yieldConverter.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import type { MemberReads } from './createMemberReads.js';
import { QuotaExhaustedError } from './errors.js';

const yearSeconds = 365n * 86_400n;

/** Parameters of {@link readQuota}. */
export type ReadQuotaParameters = {
  client: Client;
  /** The agent's vault. */
  vault: Address;
  /** The member. */
  address: Address;
  /**
   * The agent's ETH vault and the converter its yield goes through: the member's ETH-vault yield
   * (`computeBalanceOf`, wei) counts too, valued at the converter's realized rate so far
   * (payment token out ÷ WETH in over every conversion; nothing before the first conversion).
   */
  eth?: { vault: Address; converter: Address };
  /** What the chat already spent for them (members store `quotaUsed`), token units. */
  used: bigint;
  /** What replies in flight hold reserved, token units (counted as used when enforcing; default 0). */
  reserved?: bigint;
  /** Yield rate of the vault's source, basis points per year (for the restore estimate). */
  aprBps: number;
  /** Horizon of the restore estimate: extra stake that earns the shortfall within it, seconds (default one day). */
  horizonSeconds?: bigint;
  /** Headroom to restore on top of the shortfall, token units (default 10,000: about a hundred short replies at devnet prices). */
  headroom?: bigint;
  /** Throw {@link QuotaExhaustedError} when nothing remains (default true). */
  enforce?: boolean;
  /** Token decimals for messages (default 6). */
  decimals?: number;
  /** Cached reads (kept fresh by the vault's events); the chain directly when undefined. */
  reads?: Pick<MemberReads, 'principalOf' | 'computeBalanceOf'> | undefined;
};

/** A member's quota; amounts in token units. */
export type ReadQuotaReturnType = {
  /** Yield attributed to the member (`computeBalanceOf`). */
  balance: bigint;
  used: bigint;
  /** balance − used, never below 0. */
  remaining: bigint;
  /** Their principal. */
  staked: bigint;
  /** With `eth`: their ETH principal (wei) and ETH-vault yield (wei) included in `balance` at the realized rate. */
  eth?: { staked: bigint; yieldWei: bigint };
};

/**
 * A member's inference quota: the yield the vault attributed to them minus what the chat already
 * spent on their behalf. With `enforce`, a member with nothing left gets a 429 saying how much more
 * stake would earn the shortfall (plus headroom) within the horizon at the current APR, and how long
 * their current stake needs alone.
 *
 * @param parameters Client, vault, member, used quota and yield rate.
 * @returns Balance, used, remaining and principal.
 * @throws {QuotaExhaustedError} When enforcing and nothing remains (429).
 * @example const quota = await readQuota({ client, vault, address, used: member.quotaUsed, aprBps: 500 })
 */
export async function readQuota(parameters: ReadQuotaParameters): Promise<ReadQuotaReturnType> {
  const { client, vault, address, used, aprBps, reads } = parameters;
  const eth = parameters.eth;
  const [tokenBalance, staked, ethParts] = await Promise.all([
    reads ? reads.computeBalanceOf(address) : readContract(client, { address: vault, abi: yieldVaultAbi, functionName: 'computeBalanceOf', args: [address] }),
    reads ? reads.principalOf(address) : readContract(client, { address: vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [address] }),
    eth
      ? Promise.all([
          readContract(client, { address: eth.vault, abi: yieldVaultAbi, functionName: 'computeBalanceOf', args: [address] }),
          readContract(client, { address: eth.vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [address] }),
          readContract(client, { address: eth.converter, abi: yieldConverterAbi, functionName: 'totals' }),
        ])
      : undefined,
  ]);
  let balance = tokenBalance;
  let ethQuota: ReadQuotaReturnType['eth'];
  if (ethParts) {
    const [yieldWei, ethStaked, [totalIn, totalOut]] = ethParts;
    // Rounded down: a member is never credited more than the conversions paid for.
    if (totalIn > 0n) balance += (yieldWei * totalOut) / totalIn;
    ethQuota = { staked: ethStaked, yieldWei };
  }
  const remaining = balance > used ? balance - used : 0n;
  const held = used + (parameters.reserved ?? 0n);
  if (balance > held || parameters.enforce === false) return { balance, used, remaining, staked, ...(ethQuota ? { eth: ethQuota } : {}) };

  const decimals = parameters.decimals ?? 6;
  const horizon = parameters.horizonSeconds ?? 86_400n;
  const shortfall = held - balance + (parameters.headroom ?? 10_000n);
  const rate = BigInt(Math.max(aprBps, 0));
  // extra × apr × horizon / year ≥ shortfall  ⇒  extra = ⌈shortfall × year × 10⁴ / (apr × horizon)⌉
  const additionalStake = rate === 0n ? undefined : ceilDiv(shortfall * yearSeconds * 10_000n, rate * horizon);
  const secondsAtCurrentStake = rate === 0n || staked === 0n ? undefined : ceilDiv(shortfall * yearSeconds * 10_000n, rate * staked);
  const hours = Number(horizon) / 3600;
  const hint =
    additionalStake === undefined
      ? 'The vault earns no yield at the moment, so no stake would restore it soon.'
      : `Staking ${formatUnits(additionalStake, decimals)} more would earn it back within ${hours} h at ${aprBps / 100}% APR` +
        (secondsAtCurrentStake === undefined ? '.' : `; your current stake alone needs about ${Math.ceil(Number(secondsAtCurrentStake) / 3600)} h.`);
  throw new QuotaExhaustedError(
    `Your compute quota is used up: ${formatUnits(used, decimals)} used${held > used ? ` and ${formatUnits(held - used, decimals)} held by replies in progress` : ''} of ${formatUnits(balance, decimals)} earned by your stake.`,
    {
      details: hint,
      body: {
        quota: { balance: balance.toString(), used: used.toString(), remaining: '0', staked: staked.toString() },
        restore: {
          shortfall: shortfall.toString(),
          additionalStake: additionalStake?.toString() ?? null,
          withinSeconds: Number(horizon),
          aprBps,
          secondsAtCurrentStake: secondsAtCurrentStake === undefined ? null : Number(secondsAtCurrentStake),
          hint,
        },
      },
    },
  );
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
