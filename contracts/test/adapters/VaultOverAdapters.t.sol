// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {YieldVault} from "../../src/YieldVault.sol";
import {YieldTokenAdapter} from "../../src/adapters/YieldTokenAdapter.sol";
import {LidoWorld, SparkBaseWorld} from "./utils/Worlds.sol";

/// @dev The one YieldVault code path over wstETH through its adapter (Ethereum: stakers bring stETH).
contract VaultOverWstETHTest is LidoWorld {
    address internal tba = makeAddr("tba");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    YieldVault internal vault;

    function setUp() public {
        vm.warp(1_750_000_000);
        _build();
        vault = new YieldVault(IERC20(address(steth)), source, tba, 1 days);
    }

    function _stake(address who, uint256 amount) internal {
        give(who, amount);
        vm.startPrank(who);
        steth.approve(address(vault), amount);
        vault.stake(amount);
        vm.stopPrank();
    }

    /// @dev stETH transfers round shares down: the vault passes on exactly the shares it received,
    /// the adapter wraps exactly those, and nothing stays behind as stETH.
    function test_StakeWrapsExactlyTheSharesThatArrived() public {
        _stake(alice, 0.1 ether);
        assertEq(steth.sharesOf(address(adapter)), 0, "stETH left in the adapter");
        assertEq(steth.sharesOf(address(vault)), 0, "stETH left in the vault");
        assertEq(wsteth.balanceOf(address(adapter)), adapter.totalSupply());
        assertEq(adapter.balanceOf(address(vault)), adapter.totalSupply());
        // Credited the value the stake added: 0.1 ether moved floor(0.1e18 * T / P) shares, which the
        // adapter values one share low (previewRedeem), so at most 2 * P/T + 1 wei (4 here) below.
        assertLe(vault.principalOf(alice), 0.1 ether);
        assertGe(vault.principalOf(alice), 0.1 ether - 4);
    }

    /// @dev A year of rebases: the yield reaches the TBA through the rate, each staker leaves with
    /// their principal (stETH balances move by shares: at least the principal, at most 2 wei more,
    /// paid from the vault's rounding buffer, never from another staker).
    function test_YearOfRebasesHarvestedPrincipalBack() public {
        _stake(alice, 0.1 ether);
        _stake(bob, 2 ether);
        uint256 alicePrincipal = vault.principalOf(alice);
        uint256 bobPrincipal = vault.principalOf(bob);
        vm.warp(block.timestamp + 365 days);
        _accrueFor(365 days);
        uint256 harvested = vault.harvest();
        assertApproxEqRel(harvested, 2.1 ether * 3 / 100, 0.001e18, "3% of 2.1 stETH");
        assertApproxEqAbs(steth.balanceOf(tba), harvested, 2);
        assertGe(vault.totalValue(), vault.totalPrincipal());

        uint256 before = steth.balanceOf(alice);
        vm.prank(alice);
        vault.unstake(alicePrincipal);
        uint256 got = steth.balanceOf(alice) - before;
        assertGe(got, alicePrincipal, "alice short-changed");
        assertLe(got, alicePrincipal + 1, "alice took more than the stETH rounding");
        assertGe(vault.totalValue(), vault.totalPrincipal(), "alice's exit ate into bob's principal");

        before = steth.balanceOf(bob);
        vm.prank(bob);
        vault.unstake(bobPrincipal);
        got = steth.balanceOf(bob) - before;
        assertGe(got, bobPrincipal, "bob short-changed");
        assertLe(got, bobPrincipal + 1);
    }

    /// @dev A slashing (negative rebase) is a loss shared pro rata: stakes refused, unstakes pay
    /// each staker their part of the shares.
    function test_SlashingIsSharedProRata() public {
        _stake(alice, 1 ether);
        _stake(bob, 3 ether);
        steth.rebase(-int256(steth.getTotalPooledEther() / 100)); // 1% slashed
        assertLt(vault.totalValue(), vault.totalPrincipal());
        give(alice, 1 ether);
        vm.startPrank(alice);
        steth.approve(address(vault), 1 ether);
        vm.expectPartialRevert(YieldVault.YieldVault_SourceInLoss.selector);
        vault.stake(1 ether);
        vm.stopPrank();
        uint256 principal = vault.principalOf(alice);
        uint256 before = steth.balanceOf(alice);
        vm.warp(block.timestamp + 1 days);
        vm.prank(alice);
        vault.unstake(principal);
        assertApproxEqRel(steth.balanceOf(alice) - before, principal * 99 / 100, 0.0001e18);
    }

    /// @dev Stake then unstake never pays more than the principal credited (beyond stETH's 1-wei
    /// balance rounding), which is never more than the stake.
    function testFuzz_StakeUnstakeNeverPaysMore(uint256 amount, uint32 dt) public {
        amount = bound(amount, 1e9, 10_000 ether);
        _stake(alice, amount);
        uint256 principal = vault.principalOf(alice);
        assertLe(principal, amount);
        uint256 elapsed = 1 days + bound(dt, 0, 365 days);
        vm.warp(block.timestamp + elapsed);
        _accrueFor(elapsed);
        uint256 before = steth.balanceOf(alice);
        vm.prank(alice);
        vault.unstake(principal);
        uint256 got = steth.balanceOf(alice) - before;
        assertGe(got, principal);
        assertLe(got, principal + 1);
    }
}

/// @dev The one YieldVault code path over Base's bridged sUSDS through the PSM adapter (stakers bring USDC).
contract VaultOverSUSDSBaseTest is SparkBaseWorld {
    address internal tba = makeAddr("tba");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    YieldVault internal vault;

    function setUp() public {
        vm.warp(1_750_000_000);
        _build();
        vault = new YieldVault(IERC20(address(usdc)), source, tba, 1 days);
    }

    function _stake(address who, uint256 amount) internal {
        give(who, amount);
        vm.startPrank(who);
        usdc.approve(address(vault), amount);
        vault.stake(amount);
        vm.stopPrank();
    }

    /// @dev A year at 4.5%: the TBA gets the yield in USDC, each staker exactly their principal.
    function test_YearAtTheSavingsRateHarvestedPrincipalExact() public {
        _stake(alice, 1_000e6);
        _stake(bob, 9_000e6);
        assertEq(vault.principalOf(alice) + vault.principalOf(bob), vault.totalPrincipal());
        vm.warp(block.timestamp + 365 days);
        uint256 harvested = vault.harvest();
        assertApproxEqRel(harvested, 450e6, 0.001e18, "4.5% of 10,000 USDC");
        assertEq(usdc.balanceOf(tba), harvested);
        uint256 alicePrincipal = vault.principalOf(alice);
        vm.prank(alice);
        vault.unstake(alicePrincipal);
        assertEq(usdc.balanceOf(alice), alicePrincipal);
        uint256 bobPrincipal = vault.principalOf(bob);
        vm.prank(bob);
        vault.unstake(bobPrincipal);
        assertEq(usdc.balanceOf(bob), bobPrincipal);
    }

    /// @dev The PSM's pocket runs out of USDC: the unstake reverts with the adapter's clear error
    /// before anything moves; principal, votes and the other staker are untouched; once the pocket
    /// is refilled the staker gets exactly their principal.
    function test_RevertWhen_PsmPocketLacksUsdcThenPaysExactly() public {
        _stake(alice, 1_000e6);
        vm.warp(block.timestamp + 1 days);
        uint256 principal = vault.principalOf(alice);
        uint256 drained = usdc.balanceOf(address(psm)) - 10e6; // 10 USDC left in the pocket
        address elsewhere = makeAddr("elsewhere");
        vm.prank(address(psm));
        usdc.transfer(elsewhere, drained);
        vm.expectPartialRevert(YieldTokenAdapter.YieldTokenAdapter_Illiquid.selector); // less the yield realized first
        vm.prank(alice);
        vault.unstake(principal);
        assertEq(vault.principalOf(alice), principal);
        assertEq(vault.getVotes(alice), principal);
        assertEq(usdc.balanceOf(alice), 0);
        usdc.mint(address(psm), 1_000_000e6);
        vm.prank(alice);
        vault.unstake(principal);
        assertEq(usdc.balanceOf(alice), principal);
    }

    /// @dev The PSM has too little sUSDS to fill a stake: refused with the adapter's error, nothing
    /// credited, the staker keeps their USDC.
    function test_RevertWhen_PsmLacksSUSDSForTheStake() public {
        uint256 drained = susds.balanceOf(address(psm)) - 100e18; // 100 sUSDS left in the PSM
        address elsewhere = makeAddr("elsewhere");
        vm.prank(address(psm));
        susds.transfer(elsewhere, drained);
        give(alice, 1_000e6);
        vm.startPrank(alice);
        usdc.approve(address(vault), 1_000e6);
        vm.expectPartialRevert(YieldTokenAdapter.YieldTokenAdapter_DepositExceedsRoom.selector);
        vault.stake(1_000e6);
        vm.stopPrank();
        assertEq(vault.principalOf(alice), 0);
        assertEq(usdc.balanceOf(alice), 1_000e6);
    }

    /// @dev A rate report that lowers the rate (a bad oracle update) is a loss shared pro rata, never
    /// a staker taking another's principal.
    function test_RateReportDownIsSharedProRata() public {
        _stake(alice, 1_000e6);
        _stake(bob, 1_000e6);
        rates.report(rates.getConversionRate() * 98 / 100);
        vm.warp(block.timestamp + 1 days);
        uint256 alicePrincipal = vault.principalOf(alice);
        uint256 bobPrincipal = vault.principalOf(bob);
        vm.prank(alice);
        vault.unstake(alicePrincipal);
        assertLt(usdc.balanceOf(alice), 1_000e6);
        assertApproxEqRel(usdc.balanceOf(alice), 980e6, 0.001e18);
        vm.prank(bob);
        vault.unstake(bobPrincipal);
        assertApproxEqRel(usdc.balanceOf(bob), 980e6, 0.001e18);
    }

    /// @dev Stake then unstake never pays more than the stake, whatever the time and amount.
    function testFuzz_StakeUnstakeNeverPaysMore(uint256 amount, uint32 dt) public {
        amount = bound(amount, 1e3, 10_000_000e6);
        _stake(alice, amount);
        uint256 principal = vault.principalOf(alice);
        assertLe(principal, amount);
        vm.warp(block.timestamp + 1 days + bound(dt, 0, 365 days));
        vm.prank(alice);
        vault.unstake(principal);
        assertLe(usdc.balanceOf(alice), amount);
        assertEq(usdc.balanceOf(alice), principal);
    }
}

