// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @dev ERC-4626 properties of our own, run against any source with a way to give an actor assets:
/// no free round trip, previews never on the caller's side of the truth, `convertTo*`
/// caller-independent, `max*` and `totalAssets` never revert. Between actions time passes, so
/// interest accrues as it would between real users.
abstract contract ERC4626Properties is Test {
    IERC4626 internal vault4626;
    address internal user = makeAddr("property user");
    address internal other = makeAddr("property other");

    /// @dev Gives `who` `amount` of the vault's asset.
    function _give(address who, uint256 amount) internal virtual;

    /// @dev Makes `dt` seconds of yield happen where time alone does not (a rebase, a donation).
    function _accrue(uint256 dt) internal virtual {}

    /// @dev Largest deposit the fuzzer tries.
    function _maxAmount() internal pure virtual returns (uint256);

    function _seed(uint256 amount, uint256 dt) internal {
        _give(other, amount);
        vm.startPrank(other);
        IERC20(vault4626.asset()).approve(address(vault4626), amount);
        vault4626.deposit(amount, other);
        vm.stopPrank();
        vm.warp(block.timestamp + dt);
        _accrue(dt);
    }

    function testFuzz_NoFreeDepositRedeemRoundTrip(uint256 seed, uint256 assets, uint32 dt) public {
        _seed(bound(seed, 1, _maxAmount()), bound(dt, 0, 365 days));
        assets = bound(assets, 1, _maxAmount());
        _give(user, assets);
        vm.startPrank(user);
        IERC20(vault4626.asset()).approve(address(vault4626), assets);
        uint256 shares = vault4626.deposit(assets, user);
        uint256 back = vault4626.redeem(shares, user, user);
        vm.stopPrank();
        assertLe(back, assets, "deposit then redeem in one block paid more than deposited");
    }

    function testFuzz_NoFreeMintWithdrawRoundTrip(uint256 seed, uint256 shares, uint32 dt) public {
        _seed(bound(seed, 1, _maxAmount()), bound(dt, 0, 365 days));
        shares = bound(shares, 1, vault4626.convertToShares(_maxAmount()));
        uint256 cost = vault4626.previewMint(shares);
        _give(user, cost);
        vm.startPrank(user);
        IERC20(vault4626.asset()).approve(address(vault4626), cost);
        uint256 paid = vault4626.mint(shares, user);
        uint256 withdrawable = vault4626.maxWithdraw(user);
        assertLe(withdrawable, paid, "mint then withdraw could take back more than it cost");
        if (withdrawable != 0) vault4626.withdraw(withdrawable, user, user);
        uint256 back = withdrawable + vault4626.redeem(vault4626.balanceOf(user), user, user);
        vm.stopPrank();
        assertLe(back, paid, "mint then withdraw and redeem paid more than it cost");
    }

    function testFuzz_PreviewsNeverFavourTheCaller(uint256 seed, uint256 assets, uint32 dt) public {
        _seed(bound(seed, 1, _maxAmount()), bound(dt, 0, 365 days));
        assets = bound(assets, 1, _maxAmount());
        _give(user, assets * 3 + 10); // a mint may cost a few units more than the deposit it mirrors
        vm.startPrank(user);
        IERC20 asset = IERC20(vault4626.asset());
        asset.approve(address(vault4626), type(uint256).max);
        uint256 previewShares = vault4626.previewDeposit(assets);
        uint256 shares = vault4626.deposit(assets, user);
        assertLe(previewShares, shares, "previewDeposit overestimated");

        uint256 previewAssets = vault4626.previewMint(shares);
        uint256 before = asset.balanceOf(user);
        vault4626.mint(shares, user);
        assertGe(previewAssets, before - asset.balanceOf(user), "previewMint underestimated the cost");

        // Withdraw about half, within what the shares can pay (a coarse share price can make one
        // asset unwithdrawable; Morpho V2 reports 0 from maxWithdraw, so its shares' value bounds it).
        uint256 cap = vault4626.maxWithdraw(user);
        if (cap == 0) cap = vault4626.previewRedeem(vault4626.balanceOf(user));
        uint256 half = assets / 2 + 1 < cap ? assets / 2 + 1 : cap;
        if (half != 0) {
            uint256 previewBurn = vault4626.previewWithdraw(half);
            uint256 sharesBefore = vault4626.balanceOf(user);
            vault4626.withdraw(half, user, user);
            assertGe(previewBurn, sharesBefore - vault4626.balanceOf(user), "previewWithdraw underestimated the burn");
        }

        uint256 all = vault4626.balanceOf(user);
        uint256 previewOut = vault4626.previewRedeem(all);
        before = asset.balanceOf(user);
        vault4626.redeem(all, user, user);
        assertLe(previewOut, asset.balanceOf(user) - before, "previewRedeem overestimated");
        vm.stopPrank();
    }

    function testFuzz_ConvertIsCallerIndependent(uint256 seed, uint256 amount, uint32 dt, address caller) public {
        _seed(bound(seed, 1, _maxAmount()), bound(dt, 0, 365 days));
        amount = bound(amount, 0, _maxAmount());
        uint256 shares = vault4626.convertToShares(amount);
        uint256 assets = vault4626.convertToAssets(amount);
        vm.prank(caller);
        assertEq(vault4626.convertToShares(amount), shares);
        vm.prank(caller);
        assertEq(vault4626.convertToAssets(amount), assets);
    }

    function testFuzz_MaxAndTotalAssetsNeverRevert(uint256 seed, uint32 dt, address who) public {
        _seed(bound(seed, 1, _maxAmount()), bound(dt, 0, 3_650 days));
        vault4626.totalAssets();
        vault4626.maxDeposit(who);
        vault4626.maxMint(who);
        vault4626.maxWithdraw(who);
        vault4626.maxRedeem(who);
        assertLe(vault4626.maxWithdraw(other), vault4626.previewRedeem(vault4626.balanceOf(other)));
    }
}
