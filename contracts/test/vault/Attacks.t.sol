// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {YieldVault} from "../../src/YieldVault.sol";
import {VaultTestBase} from "./utils/VaultTestBase.sol";
import {HookToken, ITokenHooks, PlainSource} from "./utils/Mocks.sol";

/// @dev Stakes through the vault and, from the token's hooks, tries to re-enter it.
contract ReentrantStaker is ITokenHooks {
    YieldVault internal immutable _vault;
    HookToken internal immutable _token;
    uint8 public reentryKind; // 0 none, 1 unstake, 2 stake, 3 harvest
    uint256 public attempts;
    bytes4 public lastError;

    constructor(YieldVault vault_, HookToken token_) {
        _vault = vault_;
        _token = token_;
        token_.approve(address(vault_), type(uint256).max);
        token_.setHooked(true);
    }

    function setReentry(uint8 kind) external {
        reentryKind = kind;
    }

    function stake(uint256 assets) external {
        _vault.stake(assets);
    }

    function unstake(uint256 principal) external {
        _vault.unstake(principal);
    }

    function tokensToSend(address, address, uint256) external {
        _reenter();
    }

    function tokensReceived(address, address, uint256) external {
        _reenter();
    }

    function _reenter() internal {
        if (msg.sender != address(_token) || reentryKind == 0) return;
        ++attempts;
        bytes memory call;
        if (reentryKind == 1) call = abi.encodeCall(YieldVault.unstake, (1));
        else if (reentryKind == 2) call = abi.encodeCall(YieldVault.stake, (1));
        else call = abi.encodeCall(YieldVault.harvest, ());
        (bool ok, bytes memory ret) = address(_vault).call(call);
        require(!ok, "re-entered");
        lastError = bytes4(ret);
    }
}

contract AttacksTest is VaultTestBase {
    // ---------------------------------------------------------------- donation on the vault

    function test_DonatedAssetIsYieldNotPrincipal() public {
        _stake(alice, 1_000e6);
        _stake(bob, 1_000e6);
        vm.prank(owner);
        usdx.mint(bob, 500e6);
        vm.prank(bob);
        usdx.transfer(address(vault), 500e6);

        assertEq(vault.principalOf(alice), 1_000e6);
        assertEq(vault.principalOf(bob), 1_000e6);
        assertEq(vault.pendingYield(), 500e6);
        assertEq(vault.harvest(), 500e6);
        assertEq(usdx.balanceOf(beneficiary), 500e6);
        // The donation was attributed to the stakers of the moment, pro rata.
        assertApproxEqAbs(vault.computeBalanceOf(alice), 250e6, 1);
        vm.warp(block.timestamp + LOCK);
        assertEq(_unstake(alice, 1_000e6), 1_000e6);
        assertEq(_unstake(bob, 1_000e6), 1_000e6);
    }

    function test_DonatedSourceSharesAreYield() public {
        _stake(alice, 1_000e6);
        vm.startPrank(owner);
        usdx.mint(owner, 200e6);
        usdx.approve(address(susdx), 200e6);
        susdx.deposit(200e6, address(vault));
        vm.stopPrank();
        assertApproxEqAbs(vault.pendingYield(), 200e6 - vault.ROUNDING_BUFFER(), 1);
        uint256 harvested = vault.harvest();
        assertApproxEqAbs(harvested, 200e6 - vault.ROUNDING_BUFFER(), 1);
        vm.warp(block.timestamp + LOCK);
        assertEq(_unstake(alice, 1_000e6), 1_000e6);
    }

    /// @notice Donating before anyone stakes (the vault's "first depositor" attack) moves nothing:
    /// principal is not derived from balances.
    function test_DonationBeforeFirstStake_CannotStealPrincipal() public {
        vm.startPrank(owner);
        usdx.mint(owner, 1_000_000e6);
        usdx.transfer(address(vault), 500_000e6);
        usdx.approve(address(susdx), 500_000e6);
        susdx.deposit(500_000e6, address(vault));
        vm.stopPrank();
        _stake(alice, 1_000e6);
        assertEq(vault.principalOf(alice), 1_000e6);
        // Yield found before anyone staked is nobody's compute balance.
        assertEq(vault.computeBalanceOf(alice), 0);
        vault.harvest();
        assertEq(vault.computeBalanceOf(alice), 0);
        assertApproxEqAbs(usdx.balanceOf(beneficiary), 1_000_000e6, 1_001);
        vm.warp(block.timestamp + LOCK);
        assertEq(_unstake(alice, 1_000e6), 1_000e6);
    }

    function testFuzz_DonationNeverMovesPrincipal(uint256 a, uint256 b, uint256 donation, uint256 dt) public {
        a = bound(a, 1, 1e15);
        b = bound(b, 1, 1e15);
        donation = bound(donation, 1, 1e15);
        dt = bound(dt, LOCK, 365 days);
        _stake(alice, a);
        vm.prank(owner);
        usdx.mint(address(vault), donation);
        _stake(bob, b);
        vm.warp(block.timestamp + dt);
        vault.harvest();
        uint256 pa = vault.principalOf(alice);
        uint256 pb = vault.principalOf(bob);
        assertEq(_unstake(alice, pa), pa);
        assertEq(_unstake(bob, pb), pb);
        assertLe(vault.computeBalanceOf(alice) + vault.computeBalanceOf(bob), vault.totalHarvested());
    }

    // ---------------------------------------------------------------- sandwich

    /// @notice Flash stake right before a harvest and unstake right after (no lock at all): no
    /// compute balance gained, no assets gained, the honest staker keeps all the yield.
    function test_SandwichHarvest_DoesNotProfit() public {
        YieldVault open = new YieldVault(IERC20(address(usdx)), IERC4626(address(susdx)), beneficiary, 0);
        address attacker = makeAddr("attacker");
        vm.startPrank(owner);
        usdx.mint(alice, 1_000e6);
        usdx.mint(attacker, 1_000_000e6);
        vm.stopPrank();
        vm.prank(alice);
        usdx.approve(address(open), type(uint256).max);
        vm.prank(attacker);
        usdx.approve(address(open), type(uint256).max);

        vm.prank(alice);
        open.stake(1_000e6);
        vm.warp(block.timestamp + 365 days);
        uint256 aliceBefore = open.computeBalanceOf(alice);

        vm.startPrank(attacker);
        open.stake(1_000_000e6);
        open.harvest();
        open.unstake(open.principalOf(attacker));
        vm.stopPrank();

        assertEq(open.computeBalanceOf(attacker), 0);
        assertLe(usdx.balanceOf(attacker), 1_000_000e6);
        assertEq(open.computeBalanceOf(alice), aliceBefore);
        assertApproxEqAbs(aliceBefore, 100e6, 1_001);
    }

    function testFuzz_SandwichHarvest_DoesNotProfit(uint256 honest, uint256 flash, uint256 dt) public {
        honest = bound(honest, 1, 1e15);
        flash = bound(flash, 1, 1e18);
        dt = bound(dt, 1, 3 * 365 days);
        YieldVault open = new YieldVault(IERC20(address(usdx)), IERC4626(address(susdx)), beneficiary, 0);
        address attacker = makeAddr("attacker");
        vm.startPrank(owner);
        usdx.mint(alice, honest);
        usdx.mint(attacker, flash);
        vm.stopPrank();
        vm.prank(alice);
        usdx.approve(address(open), type(uint256).max);
        vm.prank(attacker);
        usdx.approve(address(open), type(uint256).max);
        vm.prank(alice);
        open.stake(honest);
        vm.warp(block.timestamp + dt);

        vm.startPrank(attacker);
        open.stake(flash);
        open.harvest();
        open.unstake(open.principalOf(attacker));
        vm.stopPrank();
        assertEq(open.computeBalanceOf(attacker), 0);
        assertLe(usdx.balanceOf(attacker), flash);
    }

    // ---------------------------------------------------------------- reentrancy

    function _hookVault() internal returns (HookToken token, YieldVault v, ReentrantStaker attacker) {
        token = new HookToken();
        PlainSource plain = new PlainSource(IERC20(address(token)));
        v = new YieldVault(IERC20(address(token)), IERC4626(address(plain)), beneficiary, 0);
        attacker = new ReentrantStaker(v, token);
        token.mint(address(attacker), 100e18);
    }

    function test_Reentrancy_ThroughTokenHooksIsBlocked() public {
        (HookToken token, YieldVault v, ReentrantStaker attacker) = _hookVault();
        bytes4 guarded = ReentrancyGuard.ReentrancyGuardReentrantCall.selector;

        // stake: the sender hook fires during transferFrom, inside stake.
        attacker.setReentry(1);
        attacker.stake(10e18);
        assertEq(attacker.lastError(), guarded);
        assertEq(v.principalOf(address(attacker)), 10e18);

        // unstake: the recipient hook fires when the source pays out, inside unstake.
        attacker.setReentry(2);
        attacker.unstake(5e18);
        assertEq(attacker.lastError(), guarded);

        attacker.setReentry(3);
        attacker.unstake(5e18);
        assertEq(attacker.lastError(), guarded);

        assertGe(attacker.attempts(), 3);
        assertEq(v.totalPrincipal(), 0);
        assertEq(token.balanceOf(address(attacker)), 100e18);
    }
}
