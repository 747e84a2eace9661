// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {USDx} from "../../src/assets/USDx.sol";
import {SUSDx} from "../../src/assets/SUSDx.sol";
import {AccruingVault4626} from "../../src/assets/AccruingVault4626.sol";

contract SUSDxTest is Test {
    address internal owner = makeAddr("owner");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    USDx internal usdx;
    SUSDx internal susdx;

    function setUp() public {
        vm.warp(1_700_000_000);
        usdx = new USDx(owner);
        susdx = new SUSDx(IERC20(address(usdx)), 1_000, owner);
        vm.prank(owner);
        usdx.setMinter(address(susdx), true);
    }

    function _deposit(address who, uint256 assets) internal returns (uint256 shares) {
        vm.prank(owner);
        usdx.mint(who, assets);
        vm.startPrank(who);
        usdx.approve(address(susdx), assets);
        shares = susdx.deposit(assets, who);
        vm.stopPrank();
    }

    function test_Metadata() public view {
        assertEq(susdx.name(), "Staked USDx");
        assertEq(susdx.symbol(), "sUSDx");
        assertEq(susdx.decimals(), 12);
        assertEq(susdx.asset(), address(usdx));
        assertEq(susdx.aprBps(), 1_000);
        assertEq(susdx.lastDrip(), block.timestamp);
    }

    function test_RateGrowsAtApr() public {
        uint256 shares = _deposit(alice, 1_000e6);
        vm.warp(block.timestamp + 365 days);
        // Simple interest between drips: exactly 10% after a year with no drip in between.
        assertApproxEqAbs(susdx.convertToAssets(shares), 1_100e6, 1);
        assertEq(susdx.totalAssets(), 1_100e6);
        vm.prank(alice);
        uint256 out = susdx.redeem(shares, alice, alice);
        assertApproxEqAbs(out, 1_100e6, 1);
        assertEq(usdx.balanceOf(alice), out);
    }

    function test_Drip_MintsAccruedInterest() public {
        _deposit(alice, 1_000e6);
        vm.warp(block.timestamp + 36.5 days);
        uint256 expected = 10e6;
        vm.expectEmit(address(susdx));
        emit AccruingVault4626.Dripped(expected, uint64(block.timestamp));
        assertEq(susdx.drip(), expected);
        assertEq(usdx.balanceOf(address(susdx)), 1_010e6);
        assertEq(susdx.totalAssets(), 1_010e6);
        assertEq(susdx.drip(), 0);
    }

    function test_SetApr_AccruesAtOldRateFirst() public {
        _deposit(alice, 1_000e6);
        vm.warp(block.timestamp + 36.5 days);
        vm.prank(owner);
        vm.expectEmit(address(susdx));
        emit AccruingVault4626.AprSet(1_000, 0);
        susdx.setApr(0);
        assertEq(susdx.totalAssets(), 1_010e6);
        vm.warp(block.timestamp + 365 days);
        assertEq(susdx.totalAssets(), 1_010e6);
    }

    function test_SimulateLoss() public {
        uint256 shares = _deposit(alice, 1_000e6);
        vm.prank(owner);
        vm.expectEmit(address(susdx));
        emit AccruingVault4626.LossSimulated(100e6);
        susdx.simulateLoss(100e6);
        assertApproxEqAbs(susdx.convertToAssets(shares), 900e6, 1);
        assertEq(usdx.balanceOf(owner), 100e6);
    }

    function test_RevertWhen_AprTooHigh() public {
        vm.expectRevert(abi.encodeWithSelector(SUSDx.SUSDx_AprTooHigh.selector, 10_001, 10_000));
        new SUSDx(IERC20(address(usdx)), 10_001, owner);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(SUSDx.SUSDx_AprTooHigh.selector, 10_001, 10_000));
        susdx.setApr(10_001);
    }

    function test_RevertWhen_LossExceedsAssets() public {
        _deposit(alice, 10e6);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(SUSDx.SUSDx_LossExceedsAssets.selector, 10e6 + 1, 10e6));
        susdx.simulateLoss(10e6 + 1);
    }

    function test_RevertWhen_OwnerFunctionsByStranger() public {
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        susdx.setApr(1);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        susdx.simulateLoss(1);
        vm.stopPrank();
    }

    function test_RevertWhen_NotMinterOfAsset() public {
        SUSDx unfunded = new SUSDx(IERC20(address(usdx)), 1_000, owner);
        vm.prank(owner);
        usdx.mint(alice, 2e6);
        vm.startPrank(alice);
        usdx.approve(address(unfunded), 2e6);
        unfunded.deposit(1e6, alice);
        vm.warp(block.timestamp + 1 days);
        vm.expectRevert(abi.encodeWithSelector(USDx.USDx_NotMinter.selector, address(unfunded)));
        unfunded.deposit(1e6, alice);
        vm.stopPrank();
    }

    /// @notice A deposit then an immediate redeem never returns more than was deposited.
    function testFuzz_RoundTripNeverProfits(uint256 first, uint256 assets, uint256 dt) public {
        first = bound(first, 1, 1e15);
        assets = bound(assets, 1, 1e15);
        dt = bound(dt, 0, 3 * 365 days);
        _deposit(bob, first);
        vm.warp(block.timestamp + dt);
        uint256 shares = _deposit(alice, assets);
        vm.prank(alice);
        uint256 out = susdx.redeem(shares, alice, alice);
        assertLe(out, assets);
    }

    /// @notice The classic first-depositor attack: 1 wei deposit, big donation, victim deposits.
    /// With 6 decimals of offset the attacker loses ~10^6 times what the victim loses.
    function test_InflationAttack_Unprofitable() public {
        uint256 donation = 100_000e6;
        uint256 victimAssets = 1_000e6;
        uint256 attackerShares = _deposit(alice, 1);
        vm.prank(owner);
        usdx.mint(alice, donation);
        vm.prank(alice);
        usdx.transfer(address(susdx), donation);

        uint256 victimShares = _deposit(bob, victimAssets);
        assertGt(victimShares, 0);

        vm.prank(alice);
        uint256 attackerOut = susdx.redeem(attackerShares, alice, alice);
        vm.prank(bob);
        uint256 victimOut = susdx.redeem(victimShares, bob, bob);
        // The victim loses at most the donation / 10^offset (0.1 USDx here); the attacker loses
        // half of the 100,000 USDx donated (the virtual shares own the other half).
        assertGe(victimOut + donation / 1e6 + 1, victimAssets);
        assertLt(victimAssets - victimOut, 0.1e6);
        assertLt(attackerOut, (donation + 1) * 51 / 100);
        assertGt(donation + 1 - attackerOut, (victimAssets - victimOut) * 1e5);
    }

    function testFuzz_InflationAttack_Unprofitable(uint256 seed, uint256 donation, uint256 victimAssets) public {
        seed = bound(seed, 1, 1e9);
        donation = bound(donation, 1, 1e15);
        victimAssets = bound(victimAssets, 1e6, 1e13);
        uint256 attackerShares = _deposit(alice, seed);
        vm.prank(owner);
        usdx.mint(alice, donation);
        vm.prank(alice);
        usdx.transfer(address(susdx), donation);
        uint256 victimShares = _deposit(bob, victimAssets);
        vm.prank(alice);
        uint256 attackerOut = susdx.redeem(attackerShares, alice, alice);
        vm.prank(bob);
        susdx.redeem(victimShares, bob, bob);
        assertLe(attackerOut, seed + donation, "attacker profited");
        // Victim's loss is bounded by the attacker's spend / 1e6 (offset) plus a wei.
        assertGe(usdx.balanceOf(bob) + (seed + donation) / 1e6 + 1, victimAssets);
    }

    /// @notice Issue 10 class 6: a plain donation must not earn interest backdated to the last drip. Alice holds
    /// 1,000 USDx for a year with no drip; a donation of 1,000 USDx at the end earns nothing for that year.
    function test_Attack_DonationBackdatedInterest_NotPaid() public {
        uint256 shares = _deposit(alice, 1_000e6);
        vm.warp(block.timestamp + 365 days);
        vm.prank(owner);
        usdx.mint(bob, 1_000e6);
        vm.prank(bob);
        usdx.transfer(address(susdx), 1_000e6);
        // 1,000 of deposit + 100 of a year's interest on it + the donation, and not 100 more of interest.
        assertEq(susdx.totalAssets(), 2_100e6);
        assertEq(susdx.drip(), 100e6);
        assertApproxEqAbs(susdx.convertToAssets(shares), 2_100e6, 2); // virtual shares round
        // From the drip on, the donation earns like any asset.
        vm.warp(block.timestamp + 36.5 days);
        assertEq(susdx.totalAssets(), 2_100e6 + 21e6);
    }

    /// @notice Whenever a donation arrives, the interest paid is the interest on what was deposited (and dripped),
    /// never on the donation before the first drip after it.
    function testFuzz_DonationBackdatedInterest_NotPaid(uint256 assets, uint256 donation, uint256 dt) public {
        assets = bound(assets, 1, 1e15);
        donation = bound(donation, 1, 1e15);
        dt = bound(dt, 1, 3 * 365 days);
        _deposit(alice, assets);
        vm.warp(block.timestamp + dt);
        uint256 expected = assets * 1_000 * dt / (10_000 * 365 days);
        vm.prank(owner);
        usdx.mint(address(susdx), donation);
        assertEq(susdx.totalAssets(), assets + donation + expected);
        assertEq(susdx.drip(), expected);
    }
}
