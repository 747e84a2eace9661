import type { Command } from 'commander';
import { encodeFunctionData, formatUnits, getAddress, keccak256, toBytes, type Address, type Hex } from 'viem';
import { agentGovernorAbi } from '../../chain/abi/generated/agentGovernor.js';
import { charterAbi } from '../../chain/abi/generated/charter.js';
import { confirmTransaction } from '../../chain/confirmTransaction.js';
import type { CharterLimits } from '../../chain/deploy/bootstrapGovernance.js';
import type { GovernanceDeployment } from '../../chain/deploy/deployment.js';
import { listProposals, type ProposalView } from '../../chain/governance/listProposals.js';
import { readCharter } from '../../chain/governance/readCharter.js';
import { AgentError } from '../../core/AgentError.js';
import { parseAmount } from '../../config/parseAmount.js';
import type { Config } from '../../config/types.js';
import { connect, userWallet, type Connection } from '../connect.js';
import { roleAccount } from '../roleAccount.js';
import { jsonReplacer } from '../../core/jsonReplacer.js';
import { firstLine } from '../../core/firstLine.js';

type Helpers = { config: () => Config; print: (json: boolean | undefined, value: unknown, text: string) => void };
type ActOptions = { devAccount?: number; keyFile?: string; json?: boolean };

/** The agent has no community (a `--owner eoa` world). */
export class NoGovernanceError extends AgentError {
  override name = 'NoGovernanceError' as const;
}

/** No proposal with that id. */
export class UnknownProposalError extends AgentError {
  override name = 'UnknownProposalError' as const;
}

const supports = { against: 0, for: 1, abstain: 2 } as const;

function governanceOf(connection: Connection): GovernanceDeployment {
  const governance = connection.deployment.governance;
  if (!governance) {
    throw new NoGovernanceError('This agent has no community governance: it is owned by a key.', {
      details: 'It was started with `y2c up --owner eoa`; restart with `y2c up --fresh` for a self-owned agent.',
    });
  }
  return governance;
}

async function findProposal(connection: Connection, governor: Address, idText: string): Promise<ProposalView> {
  let id: bigint;
  try {
    id = BigInt(idText);
  } catch {
    throw new UnknownProposalError(`Not a proposal id: "${idText}".`, { details: 'Ids are the numbers `y2c gov status` lists.' });
  }
  const proposal = (await listProposals(connection.publicClient, { governor })).find((p) => p.id === id);
  if (!proposal) throw new UnknownProposalError(`No proposal ${idText} on governor ${governor}.`, { details: 'See `y2c gov status`.' });
  return proposal;
}

const jsonable = (value: unknown): unknown => JSON.parse(JSON.stringify(value, jsonReplacer));

/**
 * `y2c gov status|propose|vote|queue|execute`: members govern their agent from the terminal. A
 * proposal here changes the charter (constitution and limits); votes are the member's principal
 * in the vault at the proposal's snapshot.
 *
 * @param program The CLI.
 * @param helpers Config loader and printer.
 */
export function registerGovCommands(program: Command, helpers: Helpers): void {
  const gov = program.command('gov').description("Govern the agent: its charter, proposals and votes (stakers' principal votes).");
  const actOptions = (command: Command) =>
    command
      .option('--dev-account <index>', 'local devnet: act as anvil dev account 0-9 (default 4, the first demo staker)', (v) => Number(v))
      .option('--key-file <path>', "the member's private key file")
      .option('--json', 'print JSON');

  gov
    .command('status')
    .description('The charter (version, constitution, limits), the governor and every proposal with its state and tally.')
    .option('--dev-account <index>', 'local devnet: report this dev account\'s voting power', (v) => Number(v))
    .option('--key-file <path>', "report this member's voting power")
    .option('--json', 'print JSON')
    .action(async (options: ActOptions) => {
      const cfg = helpers.config();
      const connection = connect(cfg);
      const governance = governanceOf(connection);
      const member = roleAccount(cfg, 'staker', { devAccountIndex: options.devAccount, keyFile: options.keyFile }).address;
      const read = connection.publicClient.readContract;
      const [{ current, history }, proposals, votingDelay, votingPeriod, threshold] = await Promise.all([
        readCharter(connection.publicClient, { charter: governance.charter, history: true }),
        listProposals(connection.publicClient, { governor: governance.governor, member }),
        read({ address: governance.governor, abi: agentGovernorAbi, functionName: 'votingDelay' }),
        read({ address: governance.governor, abi: agentGovernorAbi, functionName: 'votingPeriod' }),
        read({ address: governance.governor, abi: agentGovernorAbi, functionName: 'proposalThreshold' }),
      ]);
      const units = (v: bigint) => `${formatUnits(v, cfg.chain.token.decimals)} ${cfg.chain.token.symbol}`;
      const text = [
        `charter v${current.version} ${current.constitutionHash} (${history.length} version(s))`,
        `  constitution: ${current.constitution}`,
        `  per-call cap ${units(current.limits.perCallCap)}, daily cap ${units(current.limits.dailyCap)}, runway target ${current.limits.runwayTargetHours} h`,
        `  trusted providers: ${current.limits.trustedProviders.join(', ') || 'none (the agent pays no provider)'}; agent proposals ${current.limits.proposalsPerPeriod} per ${current.limits.proposalPeriod / 86_400} d`,
        `governor ${governance.governor}: voting delay ${votingDelay}s, period ${votingPeriod}s, threshold ${units(threshold)}; timelock ${governance.timelock}`,
        ...(proposals.length ? [] : ['no proposals yet']),
        ...proposals.map(
          (p) =>
            `#${p.id} ${p.state}: ${firstLine(p.description)}\n    for ${units(p.votes.for)}, against ${units(p.votes.against)}, abstain ${units(p.votes.abstain)}; quorum ${units(p.quorum)}; deadline ${new Date(Number(p.deadline) * 1000).toISOString()}${p.member ? `; you: ${units(p.member.votingPower)}${p.member.hasVoted ? ' (voted)' : ''}` : ''}`,
        ),
      ].join('\n');
      helpers.print(options.json, jsonable({ governance, charter: current, history, proposals, settings: { votingDelay, votingPeriod, proposalThreshold: threshold }, member }), text);
    });

  actOptions(
    gov
      .command('propose')
      .description('Propose a new charter version: the current one with the changes you give.')
      .requiredOption('--description <text>', 'why (the proposal\'s text, what members read)')
      .option('--constitution <text>', 'the new constitution')
      .option('--per-call-cap <amount>', 'most one inference call may cost')
      .option('--daily-cap <amount>', 'most the agent may commit to compute per day')
      .option('--runway-hours <hours>', 'hours of compute the treasury keeps funded', (v) => Number(v))
      .option('--trust <address...>', 'providers the agent may pay (replaces the list)')
      .option('--proposals-per-week <n>', 'proposals the agent may file per week', (v) => Number(v)),
  ).action(
    async (
      options: ActOptions & { description: string; constitution?: string; perCallCap?: string; dailyCap?: string; runwayHours?: number; trust?: string[]; proposalsPerWeek?: number },
    ) => {
      const cfg = helpers.config();
      const connection = connect(cfg);
      const governance = governanceOf(connection);
      const { current } = await readCharter(connection.publicClient, { charter: governance.charter });
      const decimals = cfg.chain.token.decimals;
      if (options.runwayHours !== undefined && !(Number.isInteger(options.runwayHours) && options.runwayHours > 0)) {
        throw new AgentError(`--runway-hours must be a whole number of hours above 0, got ${options.runwayHours}.`);
      }
      if (options.proposalsPerWeek !== undefined && !(Number.isInteger(options.proposalsPerWeek) && options.proposalsPerWeek >= 0)) {
        throw new AgentError(`--proposals-per-week must be a whole number, got ${options.proposalsPerWeek}.`);
      }
      const limits: CharterLimits = {
        ...current.limits,
        ...(options.perCallCap ? { perCallCap: parseAmount(options.perCallCap, decimals) } : {}),
        ...(options.dailyCap ? { dailyCap: parseAmount(options.dailyCap, decimals) } : {}),
        ...(options.runwayHours !== undefined ? { runwayTargetHours: options.runwayHours } : {}),
        ...(options.trust ? { trustedProviders: options.trust.map((a) => getAddress(a)) } : {}),
        ...(options.proposalsPerWeek !== undefined ? { proposalsPerPeriod: options.proposalsPerWeek, proposalPeriod: 7 * 86_400 } : {}),
      };
      if (limits.perCallCap > limits.dailyCap) throw new AgentError('The per-call cap cannot exceed the daily cap.');
      const calldata = encodeFunctionData({ abi: charterAbi, functionName: 'update', args: [options.constitution ?? current.constitution, limits] });
      const wallet = userWallet(cfg, connection, { devAccountIndex: options.devAccount, keyFile: options.keyFile });
      const targets: Address[] = [governance.charter];
      const { result: id, request } = await connection.publicClient.simulateContract({
        account: wallet.account,
        address: governance.governor,
        abi: agentGovernorAbi,
        functionName: 'propose',
        args: [targets, [0n], [calldata], options.description],
        // The threshold reads votes one second back from the block it runs in: simulate in the
        // next block, as the transaction will run, not in the latest (a quiet devnet's latest
        // block may be the proposer's own stake).
        blockTag: 'pending',
      });
      const hash = await wallet.writeContract(request);
      const receipt = await confirmTransaction(connection.publicClient, hash, 'The proposal');
      helpers.print(options.json, { id: id.toString(), hash, proposer: wallet.account.address, gasUsed: receipt.gasUsed.toString() }, `proposed #${id} (tx ${hash})`);
    },
  );

  actOptions(
    gov
      .command('vote <id> <support>')
      .description('Vote for, against or abstain on a proposal with your principal at its snapshot.')
      .option('--reason <text>', 'why, recorded on chain'),
  ).action(async (idText: string, support: string, options: ActOptions & { reason?: string }) => {
    const cfg = helpers.config();
    if (!(support in supports)) throw new AgentError(`Vote "for", "against" or "abstain", not "${support}".`);
    const connection = connect(cfg);
    const governance = governanceOf(connection);
    const proposal = await findProposal(connection, governance.governor, idText);
    const wallet = userWallet(cfg, connection, { devAccountIndex: options.devAccount, keyFile: options.keyFile });
    const { request, result: weight } = await connection.publicClient.simulateContract({
      account: wallet.account,
      address: governance.governor,
      abi: agentGovernorAbi,
      functionName: 'castVoteWithReason',
      args: [proposal.id, supports[support as keyof typeof supports], options.reason ?? ''],
    });
    const hash = await wallet.writeContract(request);
    const receipt = await confirmTransaction(connection.publicClient, hash, 'The vote');
    helpers.print(options.json, { id: proposal.id.toString(), support, weight: weight.toString(), hash, gasUsed: receipt.gasUsed.toString() }, `voted ${support} on #${proposal.id} with ${formatUnits(weight, cfg.chain.token.decimals)} (tx ${hash})`);
  });

  for (const step of ['queue', 'execute'] as const) {
    actOptions(
      gov.command(`${step} <id>`).description(step === 'queue' ? 'Queue a succeeded proposal in the timelock.' : 'Execute a queued proposal once its timelock delay has passed.'),
    ).action(async (idText: string, options: ActOptions) => {
      const cfg = helpers.config();
      const connection = connect(cfg);
      const governance = governanceOf(connection);
      const proposal = await findProposal(connection, governance.governor, idText);
      const wallet = userWallet(cfg, connection, { devAccountIndex: options.devAccount, keyFile: options.keyFile });
      const descriptionHash: Hex = keccak256(toBytes(proposal.description));
      const { request } = await connection.publicClient.simulateContract({
        account: wallet.account,
        address: governance.governor,
        abi: agentGovernorAbi,
        functionName: step,
        args: [proposal.targets, proposal.values, proposal.calldatas, descriptionHash],
      });
      const hash = await wallet.writeContract(request);
      const receipt = await confirmTransaction(connection.publicClient, hash, `The ${step}`);
      helpers.print(options.json, { id: proposal.id.toString(), hash, gasUsed: receipt.gasUsed.toString() }, `${step === 'queue' ? 'queued' : 'executed'} #${proposal.id} (tx ${hash})`);
    });
  }
}
