// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {GovernanceFixture} from "./GovernanceFixture.sol";
import {Charter} from "../../src/governance/Charter.sol";

/// @dev Proposal lifecycle, quorum, late quorum, snapshots, double votes, timelock roles.
contract GovernorTest is GovernanceFixture {
    string internal constant TEXT_V2 = "Be useful. Never pay an untrusted provider.";

    function _updateCall() internal view returns (bytes memory) {
        Charter.Limits memory l = _limits(60 days);
        l.dailyCap = 20e6;
        return _charterUpdate(TEXT_V2, l);
    }

    function test_Settings() public view {
        assertEq(governor.clock(), block.timestamp);
        assertEq(governor.CLOCK_MODE(), "mode=timestamp");
        assertEq(governor.votingDelay(), VOTING_DELAY);
        assertEq(governor.votingPeriod(), VOTING_PERIOD);
        assertEq(governor.timelock(), address(timelock));
        assertEq(timelock.getMinDelay(), TIMELOCK_DELAY);
        assertEq(account.owner(), address(timelock));
        assertEq(governor.quorum(block.timestamp - 1), 100e6); // 10% of 1000 USDx
    }

    function test_ProposalLifecycleUpdatesCharter() public {
        bytes memory call = _updateCall();
        uint256 id = _propose(alice, address(charter), call, "raise the daily cap");
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Pending));
        _toActive(id);
        _vote(alice, id, 1);
        _vote(bob, id, 0);
        _vote(carol, id, 2);
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(id);
        assertEq(forVotes, 600e6);
        assertEq(against, 300e6);
        assertEq(abstain, 100e6);
        _toEnd(id);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Succeeded));
        _queue(address(charter), call, "raise the daily cap");
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Queued));
        vm.expectRevert();
        _execute(address(charter), call, "raise the daily cap");
        vm.warp(block.timestamp + TIMELOCK_DELAY);
        _execute(address(charter), call, "raise the daily cap");
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Executed));
        assertEq(charter.version(), 2);
        assertEq(charter.constitutionHash(), keccak256(bytes(TEXT_V2)));
        assertEq(charter.limits().dailyCap, 20e6);
    }

    function test_DefeatedWithoutQuorum() public {
        uint256 id = _propose(alice, address(charter), _updateCall(), "quiet");
        _toActive(id);
        _vote(carol, id, 1); // 100e6 for == quorum: reached
        _toEnd(id);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Succeeded));

        _stake(mallory, 1e6); // total 1001: quorum 100.1
        vm.warp(block.timestamp + 1);
        id = _propose(alice, address(charter), _updateCall(), "quiet again");
        _toActive(id);
        _vote(carol, id, 1); // 100e6 < 100.1e6
        _toEnd(id);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Defeated));
    }

    function test_LateQuorumExtendsDeadline() public {
        uint256 id = _propose(alice, address(charter), _updateCall(), "late");
        _toActive(id);
        uint256 deadline = governor.proposalDeadline(id);
        vm.warp(deadline - 10);
        _vote(bob, id, 1); // quorum reached 10 s before the end
        assertEq(governor.proposalDeadline(id), deadline - 10 + LATE_EXTENSION);
        vm.warp(deadline + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Active));
        _vote(alice, id, 0); // the others had time to answer
        vm.warp(deadline - 10 + LATE_EXTENSION + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Defeated));
    }

    function test_VoteAfterUnstakeAndRestakeDoesNotCount() public {
        uint256 id = _propose(alice, address(charter), _updateCall(), "snapshot");
        _toActive(id);
        _vote(bob, id, 0);
        // bob leaves with his principal, hands it to mallory, who stakes and votes: weight 0.
        vm.startPrank(bob);
        vault.unstake(300e6);
        usdx.transfer(mallory, 300e6);
        vm.stopPrank();
        vm.startPrank(mallory);
        usdx.approve(address(vault), type(uint256).max);
        vault.stake(300e6);
        vm.stopPrank();
        assertEq(vault.getVotes(mallory), 300e6);
        _vote(mallory, id, 0);
        (uint256 against,,) = governor.proposalVotes(id);
        assertEq(against, 300e6);
        assertEq(governor.getVotes(mallory, governor.proposalSnapshot(id)), 0);
    }

    function test_UnstakeBeforeSnapshotLosesTheVote() public {
        uint256 id = _propose(alice, address(charter), _updateCall(), "left early");
        vm.prank(bob);
        vault.unstake(300e6);
        _toActive(id);
        _vote(bob, id, 0);
        (uint256 against,,) = governor.proposalVotes(id);
        assertEq(against, 0);
    }

    function test_RevertWhen_VotingTwice() public {
        uint256 id = _propose(alice, address(charter), _updateCall(), "twice");
        _toActive(id);
        _vote(alice, id, 1);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, alice));
        _vote(alice, id, 0);
    }

    function test_RevertWhen_DelegateVotesTwiceThroughRedelegation() public {
        uint256 id = _propose(alice, address(charter), _updateCall(), "redelegate");
        _toActive(id);
        _vote(alice, id, 1);
        vm.prank(alice);
        vault.delegate(mallory); // moves current votes only, not the snapshot's
        _vote(mallory, id, 1);
        (, uint256 forVotes,) = governor.proposalVotes(id);
        assertEq(forVotes, 600e6);
    }

    function test_RevertWhen_ProposerBelowThreshold() public {
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(address(charter), _updateCall());
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, mallory, 0, THRESHOLD));
        governor.propose(t, v, c, "spam");
    }

    function test_RevertWhen_CharterWrittenByAnyoneButTheTimelock() public {
        Charter.Limits memory l = _limits(1 days);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Charter.Charter_NotWriter.selector, alice));
        charter.update("mine", l);
        vm.prank(address(governor));
        vm.expectRevert(abi.encodeWithSelector(Charter.Charter_NotWriter.selector, address(governor)));
        charter.update("mine", l);
    }

    function test_RevertWhen_EoaSchedulesOnTimelock() public {
        bytes32 proposer = timelock.PROPOSER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, deployer, proposer)
        );
        vm.prank(deployer);
        timelock.schedule(address(charter), 0, _updateCall(), bytes32(0), bytes32(0), TIMELOCK_DELAY);
    }

    function test_NoEoaHoldsTimelockRoles() public view {
        bytes32[4] memory roles = [
            timelock.DEFAULT_ADMIN_ROLE(), timelock.PROPOSER_ROLE(), timelock.CANCELLER_ROLE(), timelock.EXECUTOR_ROLE()
        ];
        address[3] memory eoas = [deployer, alice, keeper];
        for (uint256 r; r < roles.length; ++r) {
            for (uint256 e; e < eoas.length; ++e) {
                // EXECUTOR is open (address(0)) on purpose; nobody holds it by name.
                assertFalse(timelock.hasRole(roles[r], eoas[e]));
            }
        }
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), address(governor)));
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), address(governor)));
        assertTrue(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(timelock)));
        assertEq(nft.owner(), address(timelock));
        assertEq(nft.ownerOf(1), address(timelock));
    }
}
