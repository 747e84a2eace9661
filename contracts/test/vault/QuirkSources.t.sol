// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {USDx} from "../../src/assets/USDx.sol";
import {YieldVault} from "../../src/YieldVault.sol";
import {MorphoV2LikeSource, StataLikeSource} from "./utils/QuirkSources.sol";

/// @dev The vault against sources with real vaults' quirks (each reproduced locally).
contract QuirkSourcesTest is Test {
    address internal owner = makeAddr("owner");
    address internal tba = makeAddr("tba");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    USDx internal usdx;

    function setUp() public {
        vm.warp(1_750_000_000);
        usdx = new USDx(owner);
    }

    function _fund(address who, address vault, uint256 amount) internal {
        vm.prank(owner);
        usdx.mint(who, amount);
        vm.prank(who);
        usdx.approve(vault, type(uint256).max);
    }

    function _stake(YieldVault vault, address who, uint256 amount) internal {
        _fund(who, address(vault), amount);
        vm.prank(who);
        vault.stake(amount);
    }

    /// @dev Morpho Vault V2: max* = 0 everywhere. The vault never reads max*, so stake, harvest and
    /// exact unstake all work.
    function test_MorphoV2MaxZeroDoesNotBlockTheVault() public {
        MorphoV2LikeSource source = new MorphoV2LikeSource(IERC20(address(usdx)));
        YieldVault vault = new YieldVault(IERC20(address(usdx)), IERC4626(address(source)), tba, 1 days);
        _stake(vault, alice, 1_000e6);
        _stake(vault, bob, 3_000e6);
        vm.prank(owner);
        usdx.mint(address(source), 40e6); // the source earns 1%
        assertEq(source.maxWithdraw(address(vault)), 0);
        uint256 harvested = vault.harvest();
        assertApproxEqAbs(harvested, 40e6, vault.ROUNDING_BUFFER() + 2);
        vm.warp(block.timestamp + 1 days);
        vm.prank(alice);
        vault.unstake(1_000e6);
        assertEq(usdx.balanceOf(alice), 1_000e6);
        vm.prank(bob);
        vault.unstake(3_000e6);
        assertEq(usdx.balanceOf(bob), 3_000e6);
    }

    /// @dev Aave stata: borrowers hold the liquidity, so an unstake reverts (clear error, principal
    /// intact, nobody else's share touched) until it is repaid; then exact principal.
    function test_StataIlliquidUnstakeRevertsThenPaysExactly() public {
        StataLikeSource source = new StataLikeSource(IERC20(address(usdx)));
        YieldVault vault = new YieldVault(IERC20(address(usdx)), IERC4626(address(source)), tba, 1 days);
        _stake(vault, alice, 1_000e6);
        vm.warp(block.timestamp + 1 days);
        source.borrow(1_000e6);
        vm.expectRevert(abi.encodeWithSelector(ERC4626.ERC4626ExceededMaxWithdraw.selector, address(vault), 1_000e6, 0));
        vm.prank(alice);
        vault.unstake(1_000e6);
        assertEq(vault.principalOf(alice), 1_000e6);
        assertEq(vault.getVotes(alice), 1_000e6);
        source.repay(1_000e6);
        vm.prank(alice);
        vault.unstake(1_000e6);
        assertEq(usdx.balanceOf(alice), 1_000e6);
    }

    /// @dev Aave stata: a full supply cap refuses a stake with the source's error; nothing is credited.
    function test_StataSupplyCapRefusesTheStake() public {
        StataLikeSource source = new StataLikeSource(IERC20(address(usdx)));
        YieldVault vault = new YieldVault(IERC20(address(usdx)), IERC4626(address(source)), tba, 1 days);
        source.setSupplyCap(500e6);
        _fund(alice, address(vault), 1_000e6);
        vm.expectRevert(abi.encodeWithSelector(ERC4626.ERC4626ExceededMaxDeposit.selector, address(vault), 1_000e6, 500e6));
        vm.prank(alice);
        vault.stake(1_000e6);
        assertEq(vault.principalOf(alice), 0);
        assertEq(usdx.balanceOf(alice), 1_000e6);
    }
}
