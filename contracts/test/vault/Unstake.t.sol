// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IYieldVault} from "../../src/interfaces/IYieldVault.sol";
import {YieldVault} from "../../src/YieldVault.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {VaultTestBase} from "./utils/VaultTestBase.sol";
import {PlainSource} from "./utils/Mocks.sol";

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

contract UnstakeRoundingSourceTest is VaultTestBase {
    /// @notice A source without decimals offset and an odd share price rounds by whole wei: no
    /// staker can be made to pay another's rounding, and the position never falls below principal.
    function testFuzz_RoundingSource_NoStakerPaysAnothersRounding(
        uint256 seedAssets,
        uint256 donation,
        uint256 a,
        uint256 b,
        uint256 part
    ) public {
        PlainSource plain = new PlainSource(IERC20(address(usdx)));
        YieldVault v = new YieldVault(IERC20(address(usdx)), IERC4626(address(plain)), beneficiary, 0);
        seedAssets = bound(seedAssets, 1, 1e6);
        donation = bound(donation, 0, 1e6);
        vm.startPrank(owner);
        usdx.mint(owner, seedAssets + donation);
        usdx.approve(address(plain), seedAssets);
        plain.deposit(seedAssets, owner);
        usdx.transfer(address(plain), donation);
        // At least a few shares' worth each, or the source mints no share (ZeroPrincipal).
        uint256 minStake = 4 * (plain.convertToAssets(1) + 1);
        a = bound(a, minStake, 1e12);
        b = bound(b, minStake, 1e12);
        usdx.mint(alice, a);
        usdx.mint(bob, b);
        vm.stopPrank();
        vm.prank(alice);
        usdx.approve(address(v), a);
        vm.prank(bob);
        usdx.approve(address(v), b);

        vm.prank(alice);
        v.stake(a);
        vm.prank(bob);
        v.stake(b);
        uint256 pa = v.principalOf(alice);
        uint256 pb = v.principalOf(bob);
        assertLe(pa, a);
        assertLe(pb, b);
        assertGe(v.totalValue(), v.totalPrincipal());

        part = bound(part, 1, pa);
        vm.prank(alice);
        v.unstake(part);
        assertGe(v.totalValue(), v.totalPrincipal(), "alice's rounding taken from bob");
        vm.prank(bob);
        v.unstake(pb);
        assertGe(v.totalValue(), v.totalPrincipal(), "bob's rounding taken from alice");
        if (pa > part) {
            vm.prank(alice);
            v.unstake(pa - part);
        }
        // Each got their principal back within the source's rounding (at most a share's worth per
        // unstake, borne by whoever unstakes when no yield buffer covers it), never more than
        // they paid in.
        uint256 oneShare = plain.convertToAssets(1) + 1;
        assertGe(usdx.balanceOf(alice) + 2 * oneShare, pa);
        assertGe(usdx.balanceOf(bob) + oneShare, pb);
        assertLe(usdx.balanceOf(alice), a);
        assertLe(usdx.balanceOf(bob), b);
    }
}
