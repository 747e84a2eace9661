// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultTestBase} from "./utils/VaultTestBase.sol";

/// @dev The vault's principal is voting power: auto-delegated, moved, checkpointed, timestamp clock.
contract VotesTest is VaultTestBase {
    function test_ClockIsTimestamp() public view {
        assertEq(vault.clock(), block.timestamp);
        assertEq(vault.CLOCK_MODE(), "mode=timestamp");
    }

    function test_FirstStakeDelegatesToStaker() public {
        _stake(alice, 100e6);
        assertEq(vault.delegates(alice), alice);
        assertEq(vault.getVotes(alice), 100e6);
        _stake(alice, 50e6);
        assertEq(vault.getVotes(alice), 150e6);
    }

    function test_StakeForDelegatesToStakerNotPayer() public {
        _fund(bob, 80e6);
        vm.prank(bob);
        vault.stakeFor(alice, 80e6);
        assertEq(vault.delegates(alice), alice);
        assertEq(vault.getVotes(alice), 80e6);
        assertEq(vault.getVotes(bob), 0);
    }

    function test_UnstakeMovesVotesOut() public {
        _stake(alice, 100e6);
        vm.warp(block.timestamp + LOCK);
        _unstake(alice, 40e6);
        assertEq(vault.getVotes(alice), 60e6);
        _unstake(alice, 60e6);
        assertEq(vault.getVotes(alice), 0);
    }

    function test_RedelegateMovesAllPrincipalAndLaterStakesFollow() public {
        _stake(alice, 100e6);
        vm.prank(alice);
        vault.delegate(bob);
        assertEq(vault.getVotes(alice), 0);
        assertEq(vault.getVotes(bob), 100e6);
        _stake(alice, 20e6); // not a first stake: follows the chosen delegate
        assertEq(vault.delegates(alice), bob);
        assertEq(vault.getVotes(bob), 120e6);
        vm.warp(block.timestamp + LOCK);
        _unstake(alice, 120e6);
        assertEq(vault.getVotes(bob), 0);
    }

    function test_UndelegatedStakerKeepsChoiceOnTopUp() public {
        _stake(alice, 100e6);
        vm.prank(alice);
        vault.delegate(address(0));
        _stake(alice, 10e6);
        assertEq(vault.delegates(alice), address(0));
        assertEq(vault.getVotes(alice), 0);
        assertEq(vault.getPastTotalSupply(block.timestamp - 1), 0);
    }

    function test_PastVotesAreCheckpointed() public {
        uint256 t0 = block.timestamp;
        _stake(alice, 100e6);
        vm.warp(t0 + 10);
        _stake(bob, 30e6);
        vm.warp(t0 + LOCK + 20);
        _unstake(alice, 100e6);
        vm.warp(t0 + LOCK + 30);
        assertEq(vault.getPastVotes(alice, t0), 100e6);
        assertEq(vault.getPastVotes(alice, t0 + LOCK + 19), 100e6);
        assertEq(vault.getPastVotes(alice, t0 + LOCK + 20), 0);
        assertEq(vault.getPastTotalSupply(t0 + 10), 130e6);
        assertEq(vault.getPastTotalSupply(t0 + LOCK + 20), 30e6);
    }

    function test_RevertWhen_PastVotesAskedForTheFuture() public {
        _stake(alice, 1e6);
        vm.expectRevert();
        vault.getPastVotes(alice, block.timestamp);
    }

    function testFuzz_TotalVotesEqualTotalPrincipal(uint96 a, uint96 b, uint96 out, bool redelegate) public {
        a = uint96(bound(a, 1, 1e15));
        b = uint96(bound(b, 1, 1e15));
        _stake(alice, a);
        _stake(bob, b);
        if (redelegate) {
            vm.prank(alice);
            vault.delegate(carol);
        }
        vm.warp(block.timestamp + LOCK);
        out = uint96(bound(out, 0, vault.principalOf(alice)));
        if (out != 0) _unstake(alice, out);
        uint256 sum = vault.getVotes(alice) + vault.getVotes(bob) + vault.getVotes(carol);
        assertEq(sum, vault.totalPrincipal());
        assertEq(vault.getVotes(redelegate ? carol : alice), vault.principalOf(alice));
    }
}
