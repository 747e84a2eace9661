import type { Address, Hex, PublicClient } from 'viem';
import { charterAbi } from '../abi/generated/charter.js';
import type { CharterLimits } from '../deploy/bootstrapGovernance.js';

/** One version of the charter, as the chain holds it. */
export type CharterState = {
  charter: Address;
  version: number;
  constitutionHash: Hex;
  /** The text, from the version's `CharterUpdated` event (storage keeps only its hash). */
  constitution: string;
  limits: CharterLimits;
};

/** Parameters of {@link readCharter}. */
export type ReadCharterParameters = {
  charter: Address;
  /** Also return every earlier version (from the events), oldest first. */
  history?: boolean;
};

/** What {@link readCharter} returns. */
export type ReadCharterReturnType = { current: CharterState; history: CharterState[] };

/**
 * Reads the agent's charter: the current version, hash and limits from storage, and the
 * constitution's text from the `CharterUpdated` event of that version (checked against the hash).
 *
 * @param publicClient Client of the chain.
 * @param parameters The Charter's address.
 * @returns The current version (and the history when asked).
 * @example const { current } = await readCharter(publicClient, { charter: deployment.governance.charter })
 */
export async function readCharter(publicClient: PublicClient, parameters: ReadCharterParameters): Promise<ReadCharterReturnType> {
  const { charter } = parameters;
  const [version, limits] = await Promise.all([
    publicClient.readContract({ address: charter, abi: charterAbi, functionName: 'version' }),
    publicClient.readContract({ address: charter, abi: charterAbi, functionName: 'limits' }),
  ]);
  const logs = await publicClient.getContractEvents({
    address: charter,
    abi: charterAbi,
    eventName: 'CharterUpdated',
    ...(parameters.history ? {} : { args: { version } }),
    fromBlock: 0n,
    toBlock: 'latest',
  });
  const states: CharterState[] = logs.map((log) => {
    const args = log.args as { version: bigint; constitutionHash: Hex; constitution: string; limits: CharterLimits };
    return { charter, version: Number(args.version), constitutionHash: args.constitutionHash, constitution: args.constitution, limits: args.limits };
  });
  const latest = states.find((state) => state.version === Number(version));
  if (!latest) throw new Error(`charter ${charter} has no CharterUpdated event for version ${version}`);
  return { current: { ...latest, limits: limits as CharterLimits }, history: parameters.history ? states : [latest] };
}
