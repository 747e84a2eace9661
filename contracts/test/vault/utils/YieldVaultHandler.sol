// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {USDx} from "../../../src/assets/USDx.sol";
import {SUSDx} from "../../../src/assets/SUSDx.sol";
import {YieldVault} from "../../../src/YieldVault.sol";

/// @dev Drives a YieldVault with many stakers: stake, stakeFor, unstake, harvest, warp, donations
/// of asset and of source shares and, when `withLosses`, source losses and APR changes.
contract YieldVaultHandler is Test {
    USDx internal immutable _usdx;
    SUSDx internal immutable _susdx;
    YieldVault internal immutable _vault;
    address internal immutable _owner;
    bool internal immutable _withLosses;

    address[] internal _actors;

    /// @dev Yield the vault earned, measured: source value gained over warps, plus donations.
    uint256 public ghostEarned;
    /// @dev Number of state-changing calls (each may move a wei of rounding).
    uint256 public ghostCalls;
    uint256 public ghostPrincipalIn;
    uint256 public ghostPrincipalOut;
    uint256 public ghostAssetsReturned;
    /// @dev Unstakes that paid less than principal with no loss, or less than the pro-rata share
    /// (minus 2 wei) or more than the larger of principal and pro-rata share (plus 1 wei) on a loss.
    uint256 public ghostUnfairUnstakes;
    uint256 public ghostLossUnstakes;
    /// @dev Stakes that lowered the staker's withdrawable principal, moved the unlock before the old
    /// one (while locked) or beyond a full lock from now; and unstakes of withdrawable principal that
    /// reverted.
    uint256 public ghostLockViolations;

    constructor(USDx usdx_, SUSDx susdx_, YieldVault vault_, address owner_, bool withLosses_) {
        _usdx = usdx_;
        _susdx = susdx_;
        _vault = vault_;
        _owner = owner_;
        _withLosses = withLosses_;
        for (uint256 i; i < 8; ++i) {
            address actor = makeAddr(string.concat("staker", vm.toString(i)));
            _actors.push(actor);
            vm.prank(actor);
            usdx_.approve(address(vault_), type(uint256).max);
        }
    }

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    function _mint(address to, uint256 amount) internal {
        vm.prank(_owner);
        _usdx.mint(to, amount);
    }

    function stake(uint256 actorSeed, uint256 assets) external {
        _stakeFor(_actor(actorSeed), _actor(actorSeed), assets);
    }

    function stakeFor(uint256 fromSeed, uint256 toSeed, uint256 assets) external {
        _stakeFor(_actor(fromSeed), _actor(toSeed), assets);
    }

    function _stakeFor(address from, address to, uint256 assets) internal {
        assets = bound(assets, 1, 10_000_000e6);
        if (_vault.totalValue() < _vault.totalPrincipal()) return; // stakes are closed in a loss
        _mint(from, assets);
        uint256 before = _vault.principalOf(to);
        uint256 withdrawableBefore = _vault.withdrawableOf(to);
        uint256 unlockBefore = _vault.unlocksAt(to);
        vm.prank(from);
        if (from == to) _vault.stake(assets);
        else _vault.stakeFor(to, assets);
        ghostPrincipalIn += _vault.principalOf(to) - before;
        uint256 unlock = _vault.unlocksAt(to);
        if (_vault.withdrawableOf(to) < withdrawableBefore) ++ghostLockViolations;
        if (unlock > block.timestamp + _vault.lockPeriod()) ++ghostLockViolations;
        if (unlockBefore > block.timestamp && unlock < unlockBefore) ++ghostLockViolations;
        ++ghostCalls;
    }

    function unstake(uint256 actorSeed, uint256 principal) external {
        address actor = _actor(actorSeed);
        uint256 held = _vault.principalOf(actor);
        if (held == 0) return;
        principal = bound(principal, 1, held);
        _warpTo(_vault.unlocksAt(actor));
        _unstake(actor, principal);
    }

    /// @dev Unstakes part of what is withdrawable now, without waiting: it must never revert.
    function unstakeWithdrawable(uint256 actorSeed, uint256 principal) external {
        address actor = _actor(actorSeed);
        uint256 free = _vault.withdrawableOf(actor);
        if (free == 0) return;
        _unstake(actor, bound(principal, 1, free));
    }

    function _unstake(address actor, uint256 principal) internal {
        uint256 total = _vault.totalPrincipal();
        uint256 value = _vault.totalValue();
        uint256 before = _usdx.balanceOf(actor);
        vm.prank(actor);
        try _vault.unstake(principal) {}
        catch {
            ++ghostLockViolations; // withdrawable principal that could not be withdrawn
            return;
        }
        uint256 received = _usdx.balanceOf(actor) - before;
        ghostPrincipalOut += principal;
        ghostAssetsReturned += received;
        ++ghostCalls;
        if (value >= total) {
            if (received != principal) ++ghostUnfairUnstakes;
        } else {
            ++ghostLossUnstakes;
            uint256 fair = principal * value / total;
            if (received + 2 < fair || received > fair + 1) ++ghostUnfairUnstakes;
        }
    }

    function harvest() external {
        _vault.harvest();
        ++ghostCalls;
    }

    function warp(uint256 dt) external {
        _warpTo(block.timestamp + bound(dt, 1, 30 days));
    }

    /// @dev Warps, counting the source value gained meanwhile as earned yield.
    function _warpTo(uint256 timestamp) internal {
        if (timestamp <= block.timestamp) return;
        uint256 before = _vault.totalValue();
        vm.warp(timestamp);
        uint256 afterWarp = _vault.totalValue();
        if (afterWarp > before) ghostEarned += afterWarp - before;
    }

    function donateAsset(uint256 amount) external {
        amount = bound(amount, 1, 1_000e6);
        _mint(address(_vault), amount);
        ghostEarned += amount;
        ++ghostCalls;
    }

    function donateShares(uint256 amount) external {
        amount = bound(amount, 1, 1_000e6);
        address donor = makeAddr("donor");
        _mint(donor, amount);
        uint256 before = _vault.totalValue();
        vm.startPrank(donor);
        _usdx.approve(address(_susdx), amount);
        _susdx.deposit(amount, address(_vault));
        vm.stopPrank();
        ghostEarned += _vault.totalValue() - before;
        ++ghostCalls;
    }

    function loss(uint256 amount) external {
        if (!_withLosses) return;
        uint256 held = _usdx.balanceOf(address(_susdx));
        if (held == 0) return;
        amount = bound(amount, 1, held / 4 + 1);
        vm.prank(_owner);
        _susdx.simulateLoss(amount);
        ++ghostCalls;
    }

    function setApr(uint16 aprBps) external {
        if (!_withLosses) return;
        vm.prank(_owner);
        _susdx.setApr(uint16(bound(aprBps, 0, 5_000)));
    }

    /// @dev Unstakes every staker after the lock; used by `afterInvariant`.
    function unstakeEveryone() external {
        for (uint256 i; i < _actors.length; ++i) {
            address actor = _actors[i];
            uint256 held = _vault.principalOf(actor);
            if (held == 0) continue;
            _warpTo(_vault.unlocksAt(actor));
            _unstake(actor, held);
        }
    }
}
