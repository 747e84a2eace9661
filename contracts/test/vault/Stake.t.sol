// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IYieldVault} from "../../src/interfaces/IYieldVault.sol";
import {YieldVault} from "../../src/YieldVault.sol";
import {VaultTestBase} from "./utils/VaultTestBase.sol";
import {PlainSource} from "./utils/Mocks.sol";

contract StakeTest is VaultTestBase {
    function test_Stake_RecordsPrincipalAndLocks() public {
        _fund(alice, 100e6);
        uint64 unlocks = uint64(block.timestamp) + LOCK;
        vm.expectEmit(address(vault));
        emit IYieldVault.Staked(alice, 100e6, 100e6, unlocks);
        vm.prank(alice);
        vault.stake(100e6);
        assertEq(vault.principalOf(alice), 100e6);
        assertEq(vault.totalPrincipal(), 100e6);
        assertEq(vault.unlocksAt(alice), unlocks);
        assertEq(vault.stakerCount(), 1);
        assertEq(usdx.balanceOf(alice), 0);
        assertEq(usdx.balanceOf(address(vault)), 0);
        assertGe(vault.totalValue(), vault.totalPrincipal());
    }

    function test_Stake_ExactOnceBufferExists() public {
        _stake(alice, 100e6);
        vm.warp(block.timestamp + 1 days);
        _stake(bob, 55_555_555);
        assertEq(vault.principalOf(bob), 55_555_555);
        assertEq(vault.stakerCount(), 2);
    }

    /// @dev Behaviour changed deliberately (issue 11 item 10): a top-up used to reset the whole lock to a full
    /// period from now; it now moves the locked part to the amount-weighted unlock time.
    function test_Stake_TopUpAveragesOwnLock() public {
        uint256 t0 = block.timestamp;
        _stake(alice, 100e6);
        vm.warp(block.timestamp + 3 days);
        _stake(alice, 1e6);
        assertEq(vault.unlocksAt(alice), t0 + LOCK + 2567); // + ceil(3 days * 1e6 / 101e6)
        assertEq(vault.withdrawableOf(alice), 0);
        assertEq(vault.stakerCount(), 1);
    }

    function test_StakeFor_CreditsStaker() public {
        _fund(bob, 50e6);
        vm.prank(bob);
        vault.stakeFor(alice, 50e6);
        assertGt(vault.principalOf(alice), 50e6 - 2);
        assertEq(vault.principalOf(bob), 0);
        assertEq(vault.unlocksAt(alice), block.timestamp + LOCK);
    }

    /// @notice Dust staked for someone cannot extend their lock (griefing).
    /// @dev Behaviour changed deliberately (issue 10 class 6): the dust is now locked on its own for a full period
    /// (`unlocksAt` is when the locked part unlocks), and what was withdrawable stays withdrawable.
    function test_StakeFor_DustDoesNotExtendLock() public {
        _stake(alice, 100e6);
        vm.warp(block.timestamp + LOCK);
        uint256 unlocked = vault.withdrawableOf(alice);
        assertEq(unlocked, vault.principalOf(alice));
        _fund(bob, 1);
        vm.prank(bob);
        vault.stakeFor(alice, 1);
        assertEq(vault.withdrawableOf(alice), unlocked);
        _unstake(alice, unlocked);
    }

    /// @notice A large top-up by someone else is (mostly) locked: the lock cannot be skipped.
    function test_StakeFor_LargeTopUpIsLocked() public {
        _stake(alice, 1e6);
        vm.warp(block.timestamp + LOCK);
        _fund(bob, 1_000e6);
        vm.prank(bob);
        vault.stakeFor(alice, 999e6);
        assertGe(vault.unlocksAt(alice), block.timestamp + LOCK * 999 / 1_000);
    }

    function testFuzz_Stake(uint256 a, uint256 b, uint256 dt) public {
        a = bound(a, 1, 1e15);
        b = bound(b, 1, 1e15);
        dt = bound(dt, 0, 365 days);
        _stake(alice, a);
        vm.warp(block.timestamp + dt);
        _stake(bob, b);
        assertLe(vault.principalOf(alice), a);
        assertGe(vault.principalOf(alice) + 1, a);
        assertLe(vault.principalOf(bob), b);
        assertGe(vault.principalOf(bob) + 1, b);
        assertEq(vault.totalPrincipal(), vault.principalOf(alice) + vault.principalOf(bob));
        assertGe(vault.totalValue(), vault.totalPrincipal());
        assertEq(vault.stakerCount(), 2);
    }

    function test_RevertWhen_StakeZeroAmount() public {
        vm.prank(alice);
        vm.expectRevert(YieldVault.YieldVault_ZeroAmount.selector);
        vault.stake(0);
    }

    function test_RevertWhen_StakeForZeroAddress() public {
        _fund(alice, 1e6);
        vm.prank(alice);
        vm.expectRevert(YieldVault.YieldVault_ZeroAddress.selector);
        vault.stakeFor(address(0), 1e6);
    }

    function test_RevertWhen_StakeInLoss() public {
        _stake(alice, 100e6);
        vm.prank(owner);
        susdx.simulateLoss(10e6);
        uint256 value = vault.totalValue();
        _fund(bob, 1e6);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(YieldVault.YieldVault_SourceInLoss.selector, value, vault.totalPrincipal())
        );
        vault.stake(1e6);
    }

    /// @notice A source whose share price is so high that a tiny deposit mints no share.
    function test_RevertWhen_StakeRoundsToZeroPrincipal() public {
        PlainSource plain = new PlainSource(IERC20(address(usdx)));
        YieldVault v = new YieldVault(IERC20(address(usdx)), IERC4626(address(plain)), beneficiary, LOCK);
        vm.startPrank(owner);
        usdx.mint(owner, 1_000_001);
        usdx.approve(address(plain), 1);
        plain.deposit(1, owner);
        usdx.transfer(address(plain), 1_000_000);
        usdx.mint(alice, 10);
        vm.stopPrank();
        vm.startPrank(alice);
        usdx.approve(address(v), 10);
        vm.expectRevert(abi.encodeWithSelector(YieldVault.YieldVault_ZeroPrincipal.selector, 10));
        v.stake(10);
        vm.stopPrank();
    }
}
