import { buildAgentProposal } from '../../chain/governance/buildAgentProposal.js';
import type { GuardedAction, GuardedReceipt } from '../../guard/createGuardedExecutor.js';
import { decideTreasury } from '../policy/decideTreasury.js';
import type { TreasuryDecision } from '../policy/types.js';
import { readTreasurySnapshot } from './readTreasurySnapshot.js';
import type { TreasuryContext } from './TreasuryContext.js';
import { firstLine } from '../../core/firstLine.js';

/** Parameters of {@link runTreasury}. */
export type RunTreasuryParameters = TreasuryContext & {
  /** Decide-act-reread rounds per tick (default 3): a harvest frees funds a second round can deposit. */
  maxRounds?: number;
  /** Structured log. */
  log?: (message: string, fields: Record<string, unknown>) => void;
};

/** One decision and what became of it. */
export type TreasuryOutcome =
  | { decision: TreasuryDecision; status: 'done'; receipt: GuardedReceipt }
  | { decision: TreasuryDecision; status: 'failed'; error: string }
  | { decision: TreasuryDecision; status: 'waited' };

/** Return type of {@link runTreasury}. */
export type RunTreasuryReturnType = { outcomes: TreasuryOutcome[]; rounds: number };

/**
 * One treasury tick without the LLM: reads a snapshot from chain and memory, runs the pure policy,
 * and executes its decisions through the guarded executor (so the same code policy and journal
 * apply). When something was done it re-reads and decides again, up to `maxRounds`, so a harvest and
 * the deposit it pays for happen in one tick. Idempotent: each round starts from fresh chain state,
 * so a repeated tick only does what is still needed. A failed decision is recorded and the rest go on.
 *
 * @param parameters Context and options.
 * @returns Every decision with its outcome.
 * @example const { outcomes } = await runTreasury(context)
 */
export async function runTreasury(parameters: RunTreasuryParameters): Promise<RunTreasuryReturnType> {
  const log = parameters.log ?? (() => {});
  const outcomes: TreasuryOutcome[] = [];
  const maxRounds = parameters.maxRounds ?? 3;
  let rounds = 0;
  while (rounds < maxRounds) {
    rounds++;
    const snapshot = await readTreasurySnapshot(parameters);
    const decisions = decideTreasury(snapshot, parameters.params);
    let acted = false;
    for (const decision of decisions) {
      if (decision.action === 'wait') {
        log('treasury waits', { reason: decision.reason });
        outcomes.push({ decision, status: 'waited' });
        continue;
      }
      try {
        const action =
          decision.action === 'propose_to_community' ? await toProposal(parameters, decision, snapshot.now) : toGuardedAction(decision);
        const receipt = await parameters.guard.execute(action, { reason: decision.reason, origin: 'policy' });
        log('treasury acted', { action: decision.action, reason: decision.reason, tx: receipt.transactionHash, ledgerId: receipt.ledgerId });
        outcomes.push({ decision, status: 'done', receipt });
        acted = true;
      } catch (error) {
        const message = firstLine(error);
        log('treasury action failed', { action: decision.action, reason: decision.reason, error: message });
        outcomes.push({ decision, status: 'failed', error: message });
      }
    }
    if (!acted) break;
  }
  return { outcomes, rounds };
}

/** The proposal a `propose_to_community` decision files: built from the chain (session, charter) now. */
async function toProposal(context: TreasuryContext, decision: Extract<TreasuryDecision, { action: 'propose_to_community' }>, now: number): Promise<GuardedAction> {
  const charter = context.deployment.governance?.charter;
  if (!charter) throw new Error('propose_to_community without a community');
  const ask = decision.params.ask === 'renewSession' ? { kind: 'renewSession' as const } : { kind: 'trustProvider' as const, provider: decision.params.provider };
  const proposal = await buildAgentProposal(context.publicClient, { tba: context.deployment.agent.tba, sessionKey: context.wallet.sessionKey, charter, now, ask, reasons: `The treasury policy: ${decision.reason}.` });
  return { action: 'propose', ...proposal };
}

function toGuardedAction(decision: Exclude<TreasuryDecision, { action: 'wait' | 'propose_to_community' }>): GuardedAction {
  switch (decision.action) {
    case 'harvest':
      return { action: 'harvest' };
    case 'open':
      return { action: 'open', provider: decision.params.provider, amount: decision.params.amount };
    case 'top_up':
      return { action: 'top_up', channelId: decision.params.channelId, amount: decision.params.amount };
    case 'close':
    case 'request_close':
      return { action: 'request_close', channelId: decision.params.channelId };
    case 'finalize':
      return { action: 'finalize', channelId: decision.params.channelId };
    case 'refill_gas':
      return { action: 'refill_gas', amountWei: decision.params.amountWei };
  }
}
