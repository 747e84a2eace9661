import { existsSync } from 'node:fs';
import { formatUnits } from 'viem';
import { AgentError } from '../../config/AgentError.js';
import type { LedgerEntry, LedgerKind } from '../../memory/createLedgerStore.js';
import { openAgentMemory } from '../../memory/openAgentMemory.js';

/** Parameters of {@link ledger}. */
export type LedgerParameters = {
  /** The agent's database, `<dataDir>/agent.db`. */
  path: string;
  /** How many entries, newest first (default 20). */
  limit?: number;
  /** Only this kind (harvest, open_channel, top_up…). */
  kind?: LedgerKind;
  /** Token decimals for amounts (default 6). */
  decimals?: number;
};

/** Return type of {@link ledger}: the entries and their text. */
export type LedgerReturnType = { entries: LedgerEntry[]; text: string };

/**
 * `y2c ledger`: the agent's recent actions from its memory, newest first, each with its status,
 * amount, transaction and the policy's reason.
 *
 * @param parameters Database path, limit, kind.
 * @returns The entries and a readable listing.
 * @throws {AgentError} When there is no agent database yet.
 * @example const { text } = ledger({ path: join(config.dataDir, 'agent.db'), limit: 10 })
 */
export function ledger(parameters: LedgerParameters): LedgerReturnType {
  if (!existsSync(parameters.path)) {
    throw new AgentError(`No agent memory at ${parameters.path}.`, { details: 'Start the agent first (`npm start`).' });
  }
  const memory = openAgentMemory(parameters.path);
  try {
    const entries = memory.ledger.listRecent(parameters.limit ?? 20, parameters.kind);
    const decimals = parameters.decimals ?? 6;
    const text = entries.length
      ? entries
          .map((e) => {
            const when = new Date(e.createdAt * 1000).toISOString().replace('T', ' ').slice(0, 19);
            const amount = e.amount === undefined ? '' : ` ${formatUnits(e.amount, decimals)}`;
            const tx = e.txHash ? ` tx ${e.txHash}` : '';
            const error = e.error ? `\n    ${e.status === 'reconciled' ? 'note' : 'error'}: ${e.error}` : '';
            return `#${e.id} ${when} ${e.kind}${amount} [${e.status}]${tx}\n    why: ${e.reason}${error}`;
          })
          .join('\n')
      : 'no actions recorded yet';
    return { entries, text };
  } finally {
    memory.close();
  }
}
