// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {USDx} from "../../../src/assets/USDx.sol";
import {SUSDx} from "../../../src/assets/SUSDx.sol";
import {YieldVault} from "../../../src/YieldVault.sol";

/// @dev USDx + sUSDx (10% APR, minter) + a YieldVault with a 7-day lock, as the deploy script
/// is expected to wire them.
abstract contract VaultTestBase is Test {
    uint16 internal constant APR_BPS = 1_000;
    uint64 internal constant LOCK = 7 days;

    address internal owner = makeAddr("owner");
    address internal beneficiary = makeAddr("beneficiary");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");

    USDx internal usdx;
    SUSDx internal susdx;
    YieldVault internal vault;

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        usdx = new USDx(owner);
        susdx = new SUSDx(IERC20(address(usdx)), APR_BPS, owner);
        vm.prank(owner);
        usdx.setMinter(address(susdx), true);
        vault = new YieldVault(IERC20(address(usdx)), IERC4626(address(susdx)), beneficiary, LOCK);
    }

    function _fund(address who, uint256 amount) internal {
        vm.prank(owner);
        usdx.mint(who, amount);
        vm.prank(who);
        usdx.approve(address(vault), type(uint256).max);
    }

    function _stake(address who, uint256 amount) internal {
        _fund(who, amount);
        vm.prank(who);
        vault.stake(amount);
    }

    function _unstake(address who, uint256 principal) internal returns (uint256 received) {
        uint256 before = usdx.balanceOf(who);
        vm.prank(who);
        vault.unstake(principal);
        received = usdx.balanceOf(who) - before;
    }
}
