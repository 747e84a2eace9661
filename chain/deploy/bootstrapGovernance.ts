import { encodeDeployData, encodeFunctionData, getAddress, toFunctionSelector, zeroAddress, zeroHash, type Address, type Hex } from 'viem';
import { agentAccountAbi } from '../abi/generated/agentAccount.js';
import { agentGovernorAbi, agentGovernorBytecode } from '../abi/generated/agentGovernor.js';
import { agentNftAbi } from '../abi/generated/agentNft.js';
import { charterAbi, charterBytecode } from '../abi/generated/charter.js';
import { sessionGuardianAbi, sessionGuardianBytecode } from '../abi/generated/sessionGuardian.js';
import { susdxAbi } from '../abi/generated/susdx.js';
import { timelockControllerAbi, timelockControllerBytecode } from '../abi/generated/timelockController.js';
import { usdxAbi } from '../abi/generated/usdx.js';
import { confirmTransaction } from '../confirmTransaction.js';
import type { SessionPolicy } from '../wallet/agentSessionPolicy.js';
import { deployCreate2 } from './deployCreate2.js';
import type { DeployClients } from './deployContracts.js';
import type { Deployment, GovernanceDeployment } from './deployment.js';
import { saltFor } from './saltFor.js';

/** The governor's `propose`, the one call the agent's session may make to its community. */
const proposeSignature = 'function propose(address[],uint256[],bytes[],string)';

/** The charter's limits, as the Charter contract stores them (Charter.Limits). */
export type CharterLimits = {
  trustedProviders: readonly Address[];
  perCallCap: bigint;
  dailyCap: bigint;
  runwayTargetHours: number;
  proposalsPerPeriod: number;
  proposalPeriod: number;
  maxSessionDuration: number;
  maxSessionCallsPerPeriod: number;
  maxSessionNativePerPeriod: bigint;
  maxSessionTokenPerPeriod: bigint;
  /** Wei of user-operation prefund a granted session may allow (gas is value). */
  maxSessionGasAllowance: bigint;
  /** The highest maxFeePerGas cap (wei) a granted session may set. */
  maxSessionFeePerGas: bigint;
  sessionTargets: readonly Address[];
};

/** Governance timings and thresholds (seconds; votes in payment-token units of principal). */
export type GovernanceSettings = {
  votingDelay: number;
  votingPeriod: number;
  proposalThreshold: bigint;
  quorumPercent: bigint;
  lateQuorumExtension: number;
  /** The timelock's delay once bootstrap is over. */
  timelockDelay: bigint;
};

/** Parameters of {@link bootstrapGovernance}. */
export type BootstrapGovernanceParameters = {
  /** The deployment with its agent (NFT minted to the wallet client's account, TBA and vault). */
  deployment: Deployment & { agent: NonNullable<Deployment['agent']> };
  /**
   * The agent's session key and its policy (from `agentSessionPolicy`), which the timelock grants
   * with one more permission: `propose` on the governor. Omitted when the session is already granted.
   */
  session?: { key: Address; policy: SessionPolicy };
  /** Charter version 1 (config seeds it). */
  charter: { constitution: string; limits: CharterLimits };
  settings: GovernanceSettings;
  /** Keeper of the revoke-only guardian (a community multisig); no guardian when omitted. */
  guardianKeeper?: Address;
  /** The chat endpoint the NFT's identity (tokenURI) publishes. */
  chatEndpoint: string;
  /** Reports progress. */
  onStep?: (step: string) => void;
};

/**
 * Hands the agent to its community, in one deployment: deploys the timelock (the deployer its
 * temporary admin), charter v1 and the governor; moves the agent NFT to the timelock (so the TBA's
 * owner is the timelock); has the timelock itself grant the session (and the guardian), through
 * an operation scheduled and executed at delay 0 by the deployer as a temporary proposer, together
 * with raising the delay to `timelockDelay`; makes the governor the only proposer and canceller
 * (executors open); hands USDx, sUSDx and the NFT collection to the timelock; then the deployer
 * renounces every role. A second run finds the roles renounced and changes nothing.
 *
 * @param clients Public client, and the deployer's wallet client (holder of the NFT before).
 * @param parameters Deployment, session, charter v1 and settings.
 * @returns The governance addresses.
 */
export async function bootstrapGovernance(
  clients: DeployClients,
  parameters: BootstrapGovernanceParameters,
): Promise<GovernanceDeployment> {
  const { publicClient, walletClient } = clients;
  const { deployment, settings, onStep = () => {} } = parameters;
  const { agent } = deployment;
  const deployer = walletClient.account.address;
  const send = async (what: string, request: Promise<Hex>) => confirmTransaction(publicClient, await request, what);
  const create2 = async (name: string, initCode: Hex) => {
    const result = await deployCreate2(clients, { name, salt: saltFor(`${name}/${agent.tba}`), initCode });
    if (result.deployed) onStep(`deployed the ${name}`);
    return result.address;
  };

  const timelock = await create2(
    'TimelockController',
    encodeDeployData({ abi: timelockControllerAbi, bytecode: timelockControllerBytecode, args: [0n, [], [zeroAddress], deployer] }),
  );
  const charter = await create2(
    'Charter',
    encodeDeployData({ abi: charterAbi, bytecode: charterBytecode, args: [timelock, parameters.charter.constitution, parameters.charter.limits] }),
  );
  const governor = await create2(
    'AgentGovernor',
    encodeDeployData({
      abi: agentGovernorAbi,
      bytecode: agentGovernorBytecode,
      args: [
        agent.vault,
        timelock,
        charter,
        agent.tba,
        {
          votingDelay: settings.votingDelay,
          votingPeriod: settings.votingPeriod,
          proposalThreshold: settings.proposalThreshold,
          quorumNumerator: settings.quorumPercent,
          lateQuorumExtension: settings.lateQuorumExtension,
        },
      ],
    }),
  );
  const guardian = parameters.guardianKeeper
    ? await create2(
        'SessionGuardian',
        encodeDeployData({ abi: sessionGuardianAbi, bytecode: sessionGuardianBytecode, args: [agent.tba, parameters.guardianKeeper] }),
      )
    : undefined;
  const result: GovernanceDeployment = { timelock, governor, charter, ...(guardian ? { guardian } : {}) };

  const read = publicClient.readContract;
  const adminRole = await read({ address: timelock, abi: timelockControllerAbi, functionName: 'DEFAULT_ADMIN_ROLE' });
  const deployerIsAdmin = await read({ address: timelock, abi: timelockControllerAbi, functionName: 'hasRole', args: [adminRole, deployer] });
  if (!deployerIsAdmin) return result;

  const tokenId = BigInt(agent.tokenId);
  const holder = await read({ address: deployment.agentNft, abi: agentNftAbi, functionName: 'ownerOf', args: [tokenId] });
  if (getAddress(holder) === getAddress(deployer)) {
    onStep('handing the agent NFT to the timelock');
    await send('Moving the NFT to the timelock', walletClient.writeContract({ address: deployment.agentNft, abi: agentNftAbi, functionName: 'transferFrom', args: [deployer, timelock, tokenId] }));
  }

  const proposerRole = await read({ address: timelock, abi: timelockControllerAbi, functionName: 'PROPOSER_ROLE' });
  const cancellerRole = await read({ address: timelock, abi: timelockControllerAbi, functionName: 'CANCELLER_ROLE' });
  const targets: Address[] = [];
  const calls: Hex[] = [];
  if (parameters.session) {
    const { key, policy } = parameters.session;
    const withPropose: SessionPolicy = { ...policy, calls: [...policy.calls, { target: governor, selector: toFunctionSelector(proposeSignature) }] };
    const grantCall = encodeFunctionData({ abi: agentAccountAbi, functionName: 'grantSession', args: [key, withPropose] });
    // The bootstrap grant obeys charter v1 like any later one (reverts here, before anything is sent).
    await read({ address: charter, abi: charterAbi, functionName: 'checkSessionGrant', args: [grantCall, governor] });
    targets.push(agent.tba);
    calls.push(grantCall);
  }
  if (guardian) {
    targets.push(agent.tba);
    calls.push(encodeFunctionData({ abi: agentAccountAbi, functionName: 'setGuardian', args: [guardian] }));
  }
  // The NFT's live identity (tokenURI): its charter and its chat endpoint (the wallet is computed).
  targets.push(deployment.agentNft);
  calls.push(
    encodeFunctionData({
      abi: agentNftAbi,
      functionName: 'setProfile',
      args: [tokenId, { charter, chatEndpoint: parameters.chatEndpoint }],
    }),
  );
  targets.push(timelock);
  calls.push(encodeFunctionData({ abi: timelockControllerAbi, functionName: 'updateDelay', args: [settings.timelockDelay] }));
  const values = targets.map(() => 0n);
  const writeTimelock = (what: string, functionName: 'grantRole' | 'revokeRole' | 'renounceRole', args: readonly [Hex, Address]) =>
    send(what, walletClient.writeContract({ address: timelock, abi: timelockControllerAbi, functionName, args }));

  onStep(parameters.session ? 'the timelock grants the session key its policy' : 'the timelock takes its delay');
  await writeTimelock('Granting the temporary proposer role', 'grantRole', [proposerRole, deployer]);
  await send('Scheduling the bootstrap', walletClient.writeContract({ address: timelock, abi: timelockControllerAbi, functionName: 'scheduleBatch', args: [targets, values, calls, zeroHash, zeroHash, 0n] }));
  await send('Executing the bootstrap', walletClient.writeContract({ address: timelock, abi: timelockControllerAbi, functionName: 'executeBatch', args: [targets, values, calls, zeroHash, zeroHash] }));

  onStep('the governor becomes the only proposer; the deployer leaves');
  await writeTimelock('Making the governor proposer', 'grantRole', [proposerRole, governor]);
  await writeTimelock('Making the governor canceller', 'grantRole', [cancellerRole, governor]);
  await writeTimelock('Dropping the temporary proposer', 'revokeRole', [proposerRole, deployer]);
  for (const [address, abi, name] of [
    [deployment.agentNft, agentNftAbi, 'AgentNFT'],
    [deployment.usdx, usdxAbi, 'USDx'],
    [deployment.susdx, susdxAbi, 'sUSDx'],
  ] as const) {
    const owner = await read({ address, abi, functionName: 'owner' });
    if (getAddress(owner) !== getAddress(deployer)) continue;
    await send(`Handing ${name} to the timelock`, walletClient.writeContract({ address, abi, functionName: 'transferOwnership', args: [timelock] }));
  }
  await writeTimelock('Renouncing the temporary admin', 'renounceRole', [adminRole, deployer]);
  return result;
}
