import { keccak256, toBytes, type Address, type Hex } from 'viem';
import { agentGovernorAbi } from '../../../chain/abi/generated/agentGovernor.js';
import { formatAmount } from './format.js';
import type { PageConfig } from './pageConfig.js';
import type { PageWallet } from './wallet.js';

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** One charter version as `/api/governance` sends it (bigints as decimal strings). */
type CharterJson = {
  version: number;
  constitutionHash: Hex;
  constitution: string;
  limits: { trustedProviders: Address[]; perCallCap: string; dailyCap: string; runwayTargetHours: number; proposalsPerPeriod: number; proposalPeriod: number };
};
/** One proposal as `/api/governance` sends it. */
type ProposalJson = {
  id: string;
  proposer: Address;
  description: string;
  targets: Address[];
  values: string[];
  calldatas: Hex[];
  state: string;
  votes: { against: string; for: string; abstain: string };
  deadline: string;
  eta: string;
  quorum: string;
  member?: { votingPower: string; hasVoted: boolean };
};
/** `/api/governance`. */
type GovernanceJson = { charter: CharterJson; history: CharterJson[]; proposals: ProposalJson[]; now: string; member?: { votes: string } };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The Governance tab: the charter (current and history), every proposal with its state, tally,
 * quorum, deadline and the member's voting power, and vote / queue / execute buttons that send the
 * governor's own calls from the signed-in wallet (a browser wallet, or a dev account locally).
 *
 * @param config Page configuration (its `governance` addresses).
 * @returns `refresh()` and `setWallet()`.
 */
export function mountGovernance(config: PageConfig): { refresh: () => Promise<void>; setWallet: (wallet: PageWallet | undefined) => void } {
  let wallet: PageWallet | undefined;
  const status = el<HTMLParagraphElement>('gov-status');
  const error = el<HTMLParagraphElement>('gov-error');
  const units = (value: string) => `${formatAmount(value, config.decimals)} ${config.tokenSymbol}`;
  const show = (k: string, v: string) => `<dt>${k}</dt><dd>${v}</dd>`;
  let proposals: ProposalJson[] = [];

  const refresh = async () => {
    if (!config.governance) {
      el('charter').innerHTML = show('Owner', 'This agent is owned by a key (owner mode): it has no community governance.');
      return;
    }
    const member = wallet?.walletClient.account.address;
    const response = await fetch(`/api/governance${member ? `?member=${member}` : ''}`);
    if (!response.ok) throw new Error(`The agent did not answer /api/governance (${response.status}).`);
    const view = (await response.json()) as GovernanceJson;
    proposals = view.proposals;
    const { charter } = view;
    el('charter').innerHTML =
      show('Version', `<span id="charter-version">${charter.version}</span> · ${charter.constitutionHash.slice(0, 10)}…`) +
      show('Constitution', `<span id="charter-constitution">${escape(charter.constitution)}</span>`) +
      show('Caps', `${units(charter.limits.perCallCap)} per call, <span id="charter-daily-cap">${units(charter.limits.dailyCap)}</span> per day`) +
      show('Runway target', `<span id="charter-runway">${charter.limits.runwayTargetHours}</span> h`) +
      show('Trusted providers', charter.limits.trustedProviders.map((a) => `<code>${a}</code>`).join(' ') || 'none') +
      show('Agent proposals', `at most ${charter.limits.proposalsPerPeriod} per ${charter.limits.proposalPeriod / 86_400} days`);
    el('charter').dataset.version = String(charter.version);
    el('charter-history').innerHTML = [...view.history]
      .reverse()
      .map((v) => `<tr><td>${v.version}</td><td>${escape(v.constitution)}</td><td>${units(v.limits.dailyCap)}</td><td>${v.limits.runwayTargetHours} h</td><td>${v.limits.trustedProviders.length}</td></tr>`)
      .join('');
    el('gov-member').textContent = view.member
      ? `You (${member}) hold ${units(view.member.votes)} of voting power (your principal in the vault).`
      : 'Sign in on the Chat tab to vote with your stake.';
    const row = (p: ProposalJson) => {
      const title = escape(p.description.split('\n')[0] ?? '');
      const mine = p.member ? `${units(p.member.votingPower)}${p.member.hasVoted ? ' (voted)' : ''}` : '—';
      const canVote = wallet && p.state === 'active' && p.member && !p.member.hasVoted && p.member.votingPower !== '0';
      const buttons = [
        ...(canVote ? ['for', 'against', 'abstain'].map((s) => `<button data-vote="${s}" data-id="${p.id}">${s === 'for' ? 'Vote for' : s === 'against' ? 'Against' : 'Abstain'}</button>`) : []),
        ...(wallet && p.state === 'succeeded' ? [`<button data-step="queue" data-id="${p.id}">Queue</button>`] : []),
        ...(wallet && p.state === 'queued' && BigInt(p.eta) <= BigInt(view.now) ? [`<button data-step="execute" data-id="${p.id}" class="primary">Execute</button>`] : []),
        ...(p.state === 'queued' && BigInt(p.eta) > BigInt(view.now) ? [`<span class="muted">executable ${new Date(Number(p.eta) * 1000).toLocaleString()}</span>`] : []),
      ].join(' ');
      return `<tr data-proposal="${p.id}" data-state="${p.state}"><td title="${p.id}">${p.id.slice(0, 6)}…</td><td>${title}<br><span class="muted">by ${p.proposer.slice(0, 8)}…</span></td><td class="state">${p.state}</td><td>${units(p.votes.for)} / ${units(p.votes.against)} / ${units(p.votes.abstain)}</td><td>${p.quorum === '0' ? '—' : units(p.quorum)}</td><td>${new Date(Number(p.deadline) * 1000).toLocaleString()}</td><td>${mine}</td><td>${buttons}</td></tr>`;
    };
    el('proposals').innerHTML = proposals.length ? proposals.map(row).join('') : '<tr><td colspan="8" class="muted">No proposals yet.</td></tr>';
  };

  const run = async (what: string, send: (w: PageWallet) => Promise<Hex>) => {
    error.textContent = '';
    status.textContent = `${what}…`;
    try {
      if (!wallet) throw new Error('Sign in first (Chat tab).');
      const hash = await send(wallet);
      const receipt = await wallet.publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== 'success') throw new Error(`${what} reverted (tx ${hash}).`);
      // The table shows the new state before the status says so.
      await refresh().catch(() => undefined);
      status.textContent = `${what}: done.`;
    } catch (cause) {
      status.textContent = '';
      const e = cause as { shortMessage?: string; message?: string; name?: string };
      error.textContent = e.shortMessage ?? e.message ?? String(cause);
      error.dataset.error = e.name ?? 'Error';
      await refresh().catch(() => undefined);
    }
  };

  el('proposals').addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest('button');
    const proposal = proposals.find((p) => p.id === button?.dataset.id);
    const governor = config.governance?.governor;
    if (!button || !proposal || !governor) return;
    const id = BigInt(proposal.id);
    const vote = button.dataset.vote;
    if (vote) {
      const support = vote === 'against' ? 0 : vote === 'for' ? 1 : 2;
      void run(`Voting ${vote}`, async (w) => {
        const { request } = await w.publicClient.simulateContract({ account: w.walletClient.account, address: governor, abi: agentGovernorAbi, functionName: 'castVote', args: [id, support] });
        return w.walletClient.writeContract(request);
      });
      return;
    }
    const step = button.dataset.step as 'queue' | 'execute' | undefined;
    if (!step) return;
    const args = [proposal.targets, proposal.values.map((v) => BigInt(v)), proposal.calldatas, keccak256(toBytes(proposal.description))] as const;
    void run(step === 'queue' ? 'Queueing' : 'Executing', async (w) => {
      const { request } = await w.publicClient.simulateContract({ account: w.walletClient.account, address: governor, abi: agentGovernorAbi, functionName: step, args });
      return w.walletClient.writeContract(request);
    });
  });

  return {
    refresh,
    setWallet: (next) => {
      wallet = next;
      error.textContent = '';
      status.textContent = '';
    },
  };
}
