// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IYieldVault} from "../../src/interfaces/IYieldVault.sol";
import {VaultTestBase} from "./utils/VaultTestBase.sol";

contract LossTest is VaultTestBase {
    function setUp() public override {
        super.setUp();
        vm.prank(owner);
        susdx.setApr(0);
    }

    /// @notice A 20% loss of the source: each of two stakers gets 80% back, whoever leaves first.
    function test_Loss_SharedProRata() public {
        _stake(alice, 300e6);
        _stake(bob, 100e6);
        vm.prank(owner);
        susdx.simulateLoss(80e6);
        vm.warp(block.timestamp + LOCK);
        uint256 value = vault.totalValue();

        vm.expectEmit(address(vault));
        emit IYieldVault.LossReported(value, 400e6);
        uint256 toBob = _unstake(bob, 100e6);
        uint256 toAlice = _unstake(alice, 300e6);
        assertApproxEqAbs(toBob, 80e6, 1);
        assertApproxEqAbs(toAlice, 240e6, 1);
        assertLe(toBob + toAlice, 320e6);
        assertEq(vault.totalPrincipal(), 0);
    }

    function testFuzz_Loss_OrderDoesNotMatter(uint256 a, uint256 b, uint256 loss, bool bobFirst) public {
        a = bound(a, 1e6, 1e15);
        b = bound(b, 1e6, 1e15);
        _stake(alice, a);
        _stake(bob, b);
        loss = bound(loss, 1, a + b - 1);
        vm.prank(owner);
        susdx.simulateLoss(loss);
        vm.warp(block.timestamp + LOCK);
        uint256 value = vault.totalValue();
        uint256 total = vault.totalPrincipal();
        uint256 toAlice;
        uint256 toBob;
        if (bobFirst) {
            toBob = _unstake(bob, b);
            toAlice = _unstake(alice, a);
        } else {
            toAlice = _unstake(alice, a);
            toBob = _unstake(bob, b);
        }
        // Each gets their pro-rata part of the value, within rounding, never more.
        assertApproxEqAbs(toAlice, a * value / total, 2);
        assertApproxEqAbs(toBob, b * value / total, 2);
        assertLe(toAlice + toBob, value);
    }

    function test_Loss_HarvestReportsAndSendsNothing() public {
        _stake(alice, 100e6);
        vm.prank(owner);
        susdx.simulateLoss(1e6);
        vm.expectEmit(address(vault));
        emit IYieldVault.LossReported(99e6, 100e6);
        assertEq(vault.harvest(), 0);
        assertEq(vault.pendingYield(), 0);
    }

    /// @notice Yield realized before a loss stays the beneficiary's and stays attributed.
    function test_Loss_RealizedYieldIsSafe() public {
        vm.prank(owner);
        susdx.setApr(1_000);
        _stake(alice, 1_000e6);
        vm.warp(block.timestamp + 365 days);
        _stake(bob, 1e6); // realizes alice's yield
        uint256 realized = vault.pendingYield();
        uint256 earned = vault.computeBalanceOf(alice);
        vm.prank(owner);
        susdx.simulateLoss(500e6);
        assertEq(vault.harvest(), realized);
        assertEq(vault.computeBalanceOf(alice), earned);
    }

    function test_Loss_RecoveryReopensStakes() public {
        _stake(alice, 100e6);
        vm.prank(owner);
        susdx.simulateLoss(1e6);
        vm.prank(owner);
        usdx.mint(address(susdx), 2e6);
        _stake(bob, 1e6);
        assertEq(vault.principalOf(bob), 1e6);
    }
}
