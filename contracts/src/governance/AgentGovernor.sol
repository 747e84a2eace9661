// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGovernor, Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from
    "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorPreventLateQuorum} from "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IAgentAccount} from "../interfaces/IAgentAccount.sol";
import {Charter} from "./Charter.sol";

/// @title AgentGovernor
/// @notice The agent's community governs it: stakers' principal votes (the vault's checkpoints),
/// proposals run through the timelock that holds the agent's NFT (so `TBA.owner()` is the
/// timelock), and the charter bounds what a proposal may grant the agent.
/// @dev Charter rule on sessions, checked when a proposal is made and again when it executes (the
/// charter may have changed in between): a call to the agent's account that grants a session must
/// pass `Charter.checkSessionGrant`, and a call that sets the account's guardian may only clear it
/// (a guardian may grant sessions on the account, so installing one would bypass the charter; the
/// revoke-only `SessionGuardian` is installed at bootstrap). The governor is the timelock's only
/// proposer, so every timelock operation passes here. To widen the agent's session the community
/// first changes the charter (a visible, versioned decision), then grants.
/// The agent itself (its account) may propose without stake, at most `proposalsPerPeriod` per
/// `proposalPeriod` of the charter; everyone else needs `proposalThreshold` votes.
contract AgentGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl,
    GovernorPreventLateQuorum
{
    // ---------------------------------------------------------------- errors

    /// @notice A proposal would set the agent account's guardian to `guardian` (only clearing is allowed).
    error AgentGovernor_GuardianForbidden(address guardian);
    /// @notice The agent filed `filed` proposals this period, the charter's maximum.
    error AgentGovernor_AgentProposalLimit(uint256 filed, uint32 proposalsPerPeriod);
    /// @notice A zero address was given.
    error AgentGovernor_ZeroAddress();

    // ---------------------------------------------------------------- storage

    /// @notice Governance timings and thresholds (clock: seconds).
    struct Settings {
        uint48 votingDelay;
        uint32 votingPeriod;
        uint256 proposalThreshold;
        uint256 quorumNumerator; // percent of total principal at the snapshot
        uint48 lateQuorumExtension;
    }

    Charter private immutable _charter;
    address private immutable _agent;
    mapping(uint256 periodIndex => uint256 filed) private _agentProposals;

    // ---------------------------------------------------------------- constructor

    /// @param token The vote source (the vault).
    /// @param timelock_ The timelock that executes proposals and holds the agent's NFT.
    /// @param charter_ The charter whose session bounds and proposal rate apply.
    /// @param agent_ The agent's account (TBA).
    /// @param settings Timings and thresholds.
    constructor(IVotes token, TimelockController timelock_, Charter charter_, address agent_, Settings memory settings)
        Governor("y2c AgentGovernor")
        GovernorSettings(settings.votingDelay, settings.votingPeriod, settings.proposalThreshold)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(settings.quorumNumerator)
        GovernorTimelockControl(timelock_)
        GovernorPreventLateQuorum(settings.lateQuorumExtension)
    {
        if (address(charter_) == address(0) || agent_ == address(0)) revert AgentGovernor_ZeroAddress();
        _charter = charter_;
        _agent = agent_;
    }

    // ---------------------------------------------------------------- external

    /// @notice Files a proposal. The agent's account needs no votes but is rate-limited by the
    /// charter; anyone else needs `proposalThreshold` votes. Calls that grant sessions beyond the
    /// charter, or install a guardian, are refused.
    /// @param targets Call targets.
    /// @param values Native values.
    /// @param calldatas Calldata per call.
    /// @param description The proposal's text.
    /// @return The proposal id.
    function propose(address[] memory targets, uint256[] memory values, bytes[] memory calldatas, string memory description)
        public
        override
        returns (uint256)
    {
        if (_msgSender() != _agent) return super.propose(targets, values, calldatas, description);
        (uint32 perPeriod, uint32 period) = _charter.proposalRate();
        uint256 index = block.timestamp / period;
        uint256 filed = _agentProposals[index];
        if (filed >= perPeriod) revert AgentGovernor_AgentProposalLimit(filed, perPeriod);
        _agentProposals[index] = filed + 1;
        if (!_isValidDescriptionForProposer(_agent, description)) revert GovernorRestrictedProposer(_agent);
        return _propose(targets, values, calldatas, description, _agent);
    }

    /// @notice The charter this governor applies.
    /// @return The charter.
    function charter() external view returns (Charter) {
        return _charter;
    }

    /// @notice The agent's account.
    /// @return The agent.
    function agent() external view returns (address) {
        return _agent;
    }

    /// @notice Proposals the agent filed in the current charter period.
    /// @return The count.
    function agentProposalsThisPeriod() external view returns (uint256) {
        (, uint32 period) = _charter.proposalRate();
        return _agentProposals[block.timestamp / period];
    }

    // ---------------------------------------------------------------- internal

    /// @dev Applies the charter's rule to every call aimed at the agent's account.
    function _checkCharter(address[] memory targets, bytes[] memory calldatas) internal view {
        for (uint256 i; i < targets.length; ++i) {
            if (targets[i] != _agent) continue;
            bytes memory data = calldatas[i];
            if (data.length < 4) continue;
            bytes4 selector = bytes4(data);
            if (selector == IAgentAccount.grantSession.selector) {
                _charter.checkSessionGrant(data, address(this));
            } else if (selector == IAgentAccount.setGuardian.selector) {
                address guardian_;
                assembly ("memory-safe") {
                    guardian_ := mload(add(data, 36))
                }
                if (data.length < 36 || guardian_ != address(0)) revert AgentGovernor_GuardianForbidden(guardian_);
            }
        }
    }

    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override returns (uint256) {
        _checkCharter(targets, calldatas);
        return super._propose(targets, values, calldatas, description, proposer);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        _checkCharter(targets, calldatas);
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    // ------------------------------------------------- required overrides

    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return super.quorum(timepoint);
    }

    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    function proposalDeadline(uint256 proposalId)
        public
        view
        override(Governor, GovernorPreventLateQuorum)
        returns (uint256)
    {
        return super.proposalDeadline(proposalId);
    }

    function _tallyUpdated(uint256 proposalId) internal override(Governor, GovernorPreventLateQuorum) {
        super._tallyUpdated(proposalId);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
