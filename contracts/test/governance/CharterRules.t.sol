// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {GovernanceFixture} from "./GovernanceFixture.sol";
import {Charter} from "../../src/governance/Charter.sol";
import {AgentGovernor} from "../../src/governance/AgentGovernor.sol";
import {SessionGuardian} from "../../src/governance/SessionGuardian.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";
import {SessionKeys} from "../../src/account/SessionKeys.sol";

/// @dev The charter bounds what governance may grant the agent; the guardian can only revoke; the
/// agent proposes within its rate.
contract CharterRulesTest is GovernanceFixture {
    address internal newKey = makeAddr("newKey");

    function _grant(address target, uint48 duration) internal view returns (bytes memory) {
        return abi.encodeCall(IAgentAccount.grantSession, (newKey, _policy(duration, target)));
    }

    function _pass(address target, bytes memory call, string memory d) internal returns (uint256 id) {
        id = _propose(alice, target, call, d);
        _toActive(id);
        _vote(alice, id, 1);
        _toEnd(id);
        _queue(target, call, d);
        vm.warp(block.timestamp + TIMELOCK_DELAY);
    }

    function test_GrantWithinCharterExecutes() public {
        bytes memory call = _grant(market, 20 days);
        _pass(address(account), call, "renew");
        _execute(address(account), call, "renew");
        (, address grantedBy, bool active) = account.getSession(newKey);
        assertEq(grantedBy, address(timelock));
        assertTrue(active);
    }

    function test_RevertWhen_ProposalGrantsForbiddenTarget() public {
        address drain = makeAddr("drain");
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(address(account), _grant(drain, 1 days));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Charter.Charter_SessionTargetForbidden.selector, drain, bytes4(0x12345678)));
        governor.propose(t, v, c, "let the agent call drain");
    }

    function test_RevertWhen_ProposalGrantsTooLongASession() public {
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(address(account), _grant(market, 31 days));
        vm.prank(alice);
        vm.expectPartialRevert(Charter.Charter_SessionTooLong.selector);
        governor.propose(t, v, c, "forever");
    }

    function test_RevertWhen_ProposalGrantsTooLargeABudget() public {
        IAgentAccount.SessionPolicy memory p = _policy(1 days, market);
        p.tokenBudgets[0].amountPerPeriod = 51e6;
        bytes memory call = abi.encodeCall(IAgentAccount.grantSession, (newKey, p));
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(address(account), call);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(Charter.Charter_SessionTokenBudgetTooHigh.selector, address(usdx), 51e6, 50e6)
        );
        governor.propose(t, v, c, "more money");
    }

    /// @dev Gas is value: a vote must not hand a key more ERC-4337 prefund, or a higher fee cap, than
    /// the charter allows (the allowance lets the key burn the account's ETH as gas).
    function test_RevertWhen_ProposalGrantsTooLargeAGasAllowance() public {
        IAgentAccount.SessionPolicy memory p = _policy(1 days, market);
        p.gasAllowance = 1000 ether;
        p.maxFeePerGas = 100 gwei;
        bytes memory call = abi.encodeCall(IAgentAccount.grantSession, (newKey, p));
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(address(account), call);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(Charter.Charter_SessionGasTooHigh.selector, 1000 ether, 100 gwei, 1 ether, 100 gwei)
        );
        governor.propose(t, v, c, "burn it as gas");
    }

    function test_SessionMayCallItsOwnKeyAndTheGovernor() public {
        IAgentAccount.SessionPolicy memory p = _policy(1 days, newKey);
        p.calls = new IAgentAccount.CallPermission[](2);
        p.calls[0] = IAgentAccount.CallPermission(newKey, bytes4(0));
        p.calls[1] = IAgentAccount.CallPermission(address(governor), governor.propose.selector);
        bytes memory call = abi.encodeCall(IAgentAccount.grantSession, (newKey, p));
        charter.checkSessionGrant(call, address(governor));
        vm.expectPartialRevert(Charter.Charter_SessionTargetForbidden.selector);
        charter.checkSessionGrant(call, address(0));
    }

    function test_RevertWhen_CharterTightenedBeforeExecution() public {
        bytes memory grantCall = _grant(market, 20 days);
        _pass(address(account), grantCall, "grant");
        // Meanwhile a second proposal shrinks session durations to 1 day, and executes first.
        bytes memory tighten = _charterUpdate("Shorter sessions.", _limits(1 days));
        _pass(address(charter), tighten, "tighten");
        _execute(address(charter), tighten, "tighten");
        vm.expectPartialRevert(Charter.Charter_SessionTooLong.selector);
        _execute(address(account), grantCall, "grant");
    }

    function test_RevertWhen_ProposalInstallsAGuardian() public {
        bytes memory call = abi.encodeCall(IAgentAccount.setGuardian, (mallory));
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(address(account), call);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(AgentGovernor.AgentGovernor_GuardianForbidden.selector, mallory));
        governor.propose(t, v, c, "mallory guards");
    }

    function test_ProposalMayClearTheGuardian() public {
        bytes memory call = abi.encodeCall(IAgentAccount.setGuardian, (address(0)));
        _pass(address(account), call, "no guardian");
        _execute(address(account), call, "no guardian");
        assertEq(account.guardian(), address(0));
    }

    function test_GuardianKeeperRevokesSession() public {
        (,, bool active) = account.getSession(sessionKey);
        assertTrue(active);
        vm.prank(keeper);
        guardian.revokeSession(sessionKey);
        (,, active) = account.getSession(sessionKey);
        assertFalse(active);
    }

    function test_RevertWhen_NonKeeperRevokes() public {
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(SessionGuardian.SessionGuardian_NotKeeper.selector, mallory));
        guardian.revokeSession(sessionKey);
    }

    function test_RevertWhen_KeeperGrantsDirectly() public {
        IAgentAccount.SessionPolicy memory p = _policy(1 days, market);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_NotOwnerOrGuardian.selector, keeper));
        account.grantSession(mallory, p);
    }

    function test_AgentProposesWithoutStakeWithinRate() public {
        bytes memory call = _charterUpdate("Agent asks.", _limits(30 days));
        _propose(address(account), address(charter), call, "agent 1");
        _propose(address(account), address(charter), call, "agent 2");
        assertEq(governor.agentProposalsThisPeriod(), 2);
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(address(charter), call);
        vm.prank(address(account));
        vm.expectRevert(abi.encodeWithSelector(AgentGovernor.AgentGovernor_AgentProposalLimit.selector, 2, 2));
        governor.propose(t, v, c, "agent 3");
        vm.warp(block.timestamp + 7 days);
        uint256 id = _propose(address(account), address(charter), call, "agent 3");
        assertEq(governor.proposalProposer(id), address(account));
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Pending));
    }

    function test_RevertWhen_AgentProposesForbiddenGrant() public {
        (address[] memory t, uint256[] memory v, bytes[] memory c) =
            _one(address(account), _grant(makeAddr("drain"), 1 days));
        vm.prank(address(account));
        vm.expectPartialRevert(Charter.Charter_SessionTargetForbidden.selector);
        governor.propose(t, v, c, "agent wants more");
    }
}
