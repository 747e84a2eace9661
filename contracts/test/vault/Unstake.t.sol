// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IYieldVault} from "../../src/interfaces/IYieldVault.sol";
import {YieldVault} from "../../src/YieldVault.sol";
import {VaultTestBase} from "./utils/VaultTestBase.sol";

contract UnstakeTest is VaultTestBase {
    function test_Unstake_ReturnsExactPrincipalAfterLock() public {
        _stake(alice, 100e6);
        uint256 principal = vault.principalOf(alice);
        vm.warp(block.timestamp + LOCK);
        vm.expectEmit(address(vault));
        emit IYieldVault.Unstaked(alice, principal, principal);
        uint256 received = _unstake(alice, principal);
        assertEq(received, principal);
        assertEq(vault.principalOf(alice), 0);
        assertEq(vault.totalPrincipal(), 0);
        assertEq(vault.stakerCount(), 0);
    }

    function test_Unstake_Partial() public {
        _stake(alice, 100e6);
        vm.warp(block.timestamp + LOCK);
        uint256 principal = vault.principalOf(alice);
        assertEq(_unstake(alice, 40e6), 40e6);
        assertEq(vault.principalOf(alice), principal - 40e6);
        assertEq(vault.stakerCount(), 1);
    }

    function test_Unstake_YieldStaysForBeneficiary() public {
        _stake(alice, 100e6);
        vm.warp(block.timestamp + 365 days);
        uint256 principal = vault.principalOf(alice);
        assertEq(_unstake(alice, principal), principal);
        uint256 harvested = vault.harvest();
        assertApproxEqAbs(harvested, 10e6, 1_000);
        assertEq(usdx.balanceOf(beneficiary), harvested);
    }

    function testFuzz_Unstake_ExactPrincipalWithoutLoss(uint256 a, uint256 b, uint256 dt, uint256 part) public {
        a = bound(a, 1, 1e15);
        b = bound(b, 1, 1e15);
        dt = bound(dt, LOCK, 3 * 365 days);
        _stake(alice, a);
        _stake(bob, b);
        vm.warp(block.timestamp + dt);
        uint256 pa = vault.principalOf(alice);
        part = bound(part, 1, pa);
        assertEq(_unstake(alice, part), part);
        uint256 pb = vault.principalOf(bob);
        assertEq(_unstake(bob, pb), pb);
        if (pa > part) assertEq(_unstake(alice, pa - part), pa - part);
        assertEq(vault.totalPrincipal(), 0);
        assertEq(vault.stakerCount(), 0);
    }

    function test_RevertWhen_UnstakeZeroAmount() public {
        vm.prank(alice);
        vm.expectRevert(YieldVault.YieldVault_ZeroAmount.selector);
        vault.unstake(0);
    }

    function test_RevertWhen_UnstakeMoreThanPrincipal() public {
        _stake(alice, 10e6);
        uint256 principal = vault.principalOf(alice);
        vm.warp(block.timestamp + LOCK);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                YieldVault.YieldVault_InsufficientPrincipal.selector, alice, principal, principal + 1
            )
        );
        vault.unstake(principal + 1);
    }

    function test_RevertWhen_UnstakeLocked() public {
        _stake(alice, 10e6);
        uint64 unlocks = vault.unlocksAt(alice);
        vm.warp(unlocks - 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(YieldVault.YieldVault_Locked.selector, alice, unlocks));
        vault.unstake(1);
    }
}
