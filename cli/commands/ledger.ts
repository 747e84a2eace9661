import { existsSync } from 'node:fs';
import { formatUnits } from 'viem';
import { AgentError } from '../../core/AgentError.js';
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
  /** Token symbol for people (default USDx). */
  symbol?: string;
};

/** An entry as `--json` prints it: token amounts as decimal strings, gas in gas units, times ISO 8601. */
export type LedgerJsonEntry = Omit<LedgerEntry, 'amount' | 'gasUsed' | 'effectiveGasPrice' | 'blockNumber' | 'createdAt' | 'updatedAt'> & {
  amount: string | undefined;
  symbol: string;
  gasUsed: string | undefined;
  effectiveGasPriceWei: string | undefined;
  blockNumber: string | undefined;
  createdAt: string;
  updatedAt: string;
};

/** Return type of {@link ledger}: the entries, their JSON form and their text. */
export type LedgerReturnType = { entries: LedgerEntry[]; json: LedgerJsonEntry[]; text: string };

/** The kinds of action the agent journals (`--kind`). */
export const ledgerKinds = ['harvest', 'open_channel', 'top_up', 'close_channel', 'request_close', 'finalize', 'redeem_check', 'refill_gas', 'stake', 'unstake', 'grant_session', 'propose', 'conversion'] as const;

/**
 * `y2c ledger`: the agent's recent actions from its memory, newest first, each with its status,
 * amount, transaction and the policy's reason.
 *
 * @param parameters Database path, limit, kind.
 * @returns The entries and a readable listing.
 * @throws {AgentError} When there is no agent database yet, or the kind is unknown.
 * @example const { text } = ledger({ path: join(config.dataDir, 'agent.db'), limit: 10 })
 */
export function ledger(parameters: LedgerParameters): LedgerReturnType {
  if (parameters.kind !== undefined && !(ledgerKinds as readonly string[]).includes(parameters.kind)) {
    throw new AgentError(`Unknown kind "${parameters.kind}": use one of ${ledgerKinds.join(', ')}.`);
  }
  if (!existsSync(parameters.path)) {
    throw new AgentError(`No agent memory at ${parameters.path}.`, { details: 'Start the agent first (`npm start`).' });
  }
  const memory = openAgentMemory(parameters.path);
  try {
    const entries = memory.ledger.listRecent(parameters.limit ?? 20, parameters.kind);
    const decimals = parameters.decimals ?? 6;
    const symbol = parameters.symbol ?? 'USDx';
    const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
    const json = entries.map(({ amount, gasUsed, effectiveGasPrice, blockNumber, createdAt, updatedAt, ...rest }) => ({
      ...rest,
      amount: amount === undefined ? undefined : formatUnits(amount, decimals),
      symbol,
      gasUsed: gasUsed?.toString(),
      effectiveGasPriceWei: effectiveGasPrice?.toString(),
      blockNumber: blockNumber?.toString(),
      createdAt: iso(createdAt),
      updatedAt: iso(updatedAt),
    }));
    const text = entries.length
      ? entries
          .map((e) => {
            const when = new Date(e.createdAt * 1000).toISOString().replace('T', ' ').slice(0, 19);
            const amount = e.amount === undefined ? '' : ` ${formatUnits(e.amount, decimals)} ${symbol}`;
            const tx = e.txHash ? ` tx ${e.txHash}` : '';
            const error = e.error ? `\n    ${e.status === 'reconciled' ? 'note' : 'error'}: ${e.error}` : '';
            return `#${e.id} ${when} ${e.kind}${amount} [${e.status}]${tx}\n    why: ${e.reason}${error}`;
          })
          .join('\n')
      : parameters.kind
        ? `no ${parameters.kind} actions recorded yet`
        : 'no actions recorded yet';
    return { entries, json, text };
  } finally {
    memory.close();
  }
}
