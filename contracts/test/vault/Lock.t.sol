// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {YieldVault} from "../../src/YieldVault.sol";
import {VaultTestBase} from "./utils/VaultTestBase.sol";

/// @notice Issue 10 class 6 (`stakeFor` by a third party re-locks someone's unlocked principal) and issue 11 item 10
/// (staking more re-locks the whole position). The rule: principal already unlocked stays unlocked whoever stakes;
/// a new stake joins the still-locked part, whose unlock time becomes the amount-weighted average of its own unlock
/// time and a full lock for the new amount (rounded up).
contract LockTest is VaultTestBase {
    /// @notice The attack: alice's principal is unlocked, anyone front-runs her unstake with a `stakeFor` and she is
    /// locked again. Her old principal must stay withdrawable.
    function test_Attack_StakeForRelock_UnlockedPrincipalStaysWithdrawable() public {
        _stake(alice, 100e6);
        vm.warp(block.timestamp + LOCK + 1 days);
        _fund(bob, 100e6);
        vm.prank(bob);
        vault.stakeFor(alice, 100e6);
        assertEq(_unstake(alice, 100e6), 100e6);
        // The gift itself is locked for a full period.
        vm.expectRevert(abi.encodeWithSelector(YieldVault.YieldVault_Locked.selector, alice, block.timestamp + LOCK));
        vm.prank(alice);
        vault.unstake(1);
        vm.warp(block.timestamp + LOCK);
        assertEq(_unstake(alice, 100e6), 100e6);
    }

    /// @notice Staking more while locked moves the unlock by the new amount's weight, not to a full new lock.
    function test_Stake_WeightedUnlock_TopUpDoesNotRelockWholePosition() public {
        uint256 t0 = block.timestamp;
        _stake(alice, 100e6);
        vm.warp(t0 + 3 days);
        _stake(alice, 1e6);
        // ceil((100e6 * (t0 + LOCK) + 1e6 * (t0 + 3 days + LOCK)) / 101e6)
        uint256 expected = t0 + LOCK + 2567; // 259,200 / 101 = 2,566.3, rounded up
        assertEq(vault.unlocksAt(alice), expected);
        assertLt(vault.unlocksAt(alice), t0 + 3 days + LOCK);
        vm.warp(expected - 1);
        vm.expectRevert(abi.encodeWithSelector(YieldVault.YieldVault_Locked.selector, alice, expected));
        vm.prank(alice);
        vault.unstake(1);
        vm.warp(expected);
        assertEq(_unstake(alice, 101e6), 101e6);
    }

    /// @notice A third party's tiny `stakeFor` moves a locked victim's unlock by at most the rounding second.
    function test_StakeFor_WeightedUnlock_DustMovesLockAtMostOneSecond() public {
        _stake(alice, 100e6);
        vm.warp(block.timestamp + 1 days);
        uint64 before = vault.unlocksAt(alice);
        _fund(bob, 1);
        vm.prank(bob);
        vault.stakeFor(alice, 1);
        assertLe(vault.unlocksAt(alice), before + 1);
        assertGe(vault.unlocksAt(alice), before);
    }

    /// @notice Whoever stakes, and however much, principal that was withdrawable stays withdrawable.
    function testFuzz_StakeForRelock_NeverRelocksUnlockedPrincipal(uint256 a, uint256 b, uint256 dt, bool self)
        public
    {
        a = bound(a, 1e3, 1e15);
        b = bound(b, 1, 1e15);
        dt = bound(dt, LOCK, 2 * 365 days);
        _stake(alice, a);
        uint256 held = vault.principalOf(alice);
        vm.warp(block.timestamp + dt);
        address from = self ? alice : bob;
        _fund(from, b);
        vm.prank(from);
        vault.stakeFor(alice, b);
        assertEq(_unstake(alice, held), held);
        assertEq(vault.unlocksAt(alice), block.timestamp + LOCK);
    }

    /// @notice A stake while locked: the new amount is never locked longer than a full period from now and the old
    /// part never unlocks earlier than it would have; the new amount cannot skip its lock by much (the
    /// position's lock-seconds are at least the old part's remaining ones plus the new part's full period).
    function testFuzz_Stake_WeightedUnlock_IsTheWeightedAverage(uint256 a, uint256 b, uint256 dt, bool self)
        public
    {
        a = bound(a, 1e3, 1e15);
        b = bound(b, 1e3, 1e15);
        dt = bound(dt, 0, LOCK - 1);
        uint256 t0 = block.timestamp;
        _stake(alice, a);
        uint256 held = vault.principalOf(alice);
        vm.warp(t0 + dt);
        address from = self ? alice : bob;
        _fund(from, b);
        uint256 before = vault.principalOf(alice);
        vm.prank(from);
        vault.stakeFor(alice, b);
        uint256 added = vault.principalOf(alice) - before;
        uint256 unlocks = vault.unlocksAt(alice);
        uint256 nowTs = block.timestamp;
        assertGe(unlocks, t0 + LOCK);
        assertLe(unlocks, nowTs + LOCK);
        // Weighted average, rounded up: total lock-seconds from now are not below the two parts'.
        assertGe((unlocks - nowTs) * (held + added), held * (t0 + LOCK - nowTs) + added * LOCK);
        assertLt((unlocks - nowTs - 1) * (held + added), held * (t0 + LOCK - nowTs) + added * LOCK);
    }
}
