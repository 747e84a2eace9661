// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IYieldVault} from "./interfaces/IYieldVault.sol";
import {VaultVotes} from "./governance/VaultVotes.sol";

/// @title YieldVault
/// @notice Stakers deposit `asset`, which goes straight into the ERC-4626 `source`. Principal is
/// recorded per staker and returned after a lock; only what the position is worth above total
/// principal (the yield) ever leaves for the beneficiary. Every unit of yield is attributed to
/// the stakers whose principal earned it: their compute balance.
/// @dev Accounting, in order of every state-changing call:
/// 1. Checkpoint. Yield is *realized* before anyone's principal changes: source shares worth more
///    than `totalPrincipal + ROUNDING_BUFFER` are redeemed into this vault, and every asset the
///    vault holds that was not yet accounted (that yield, or a donation) is attributed to the
///    current principal through `accYieldPerPrincipal` (scaled by `ACC_PRECISION`, rounded
///    down). Realized yield sits in the vault, safe from later losses of the source, until
///    `harvest` sends it; so compute balances are always backed by assets actually realized and
///    a staker who joins later never shares yield earned before (the stake-harvest-unstake
///    sandwich gains nothing).
/// 2. Settle the staker's attributed yield, then change principal.
/// Losses: when the source position is worth less than total principal, `stake` reverts and
/// `unstake` pays the staker their pro-rata part of the source shares (`LossReported` emitted),
/// so the loss is shared pro rata and nobody can leave it to the others. Yield already realized
/// into the vault stays the beneficiary's.
/// Rounding: the source rounds every conversion in its own favour. The vault keeps a
/// `ROUNDING_BUFFER` of assets of yield in the source (never realized), so unstakes can pay exact
/// principal while the others keep theirs; a stake is credited at most the value it added; and
/// when the buffer cannot cover an exact withdrawal the staker takes their pro-rata shares
/// instead (at most a wei or two less). So `totalValue() >= totalPrincipal()` holds whenever the
/// source's share price does not fall.
/// Donations of asset or source shares to the vault are yield: attributed to current stakers and
/// harvestable; principal is a number per staker, never derived from balances, so no donation
/// can move it. Fee-on-transfer and rebasing assets are not supported.
/// Locks: a position is its withdrawable principal plus at most one locked part with one unlock
/// time. A stake (by the staker or anyone else, `stakeFor`) joins the locked part, whose unlock time
/// becomes the amount-weighted average of its own and a full `lockPeriod` from now for the new
/// amount, rounded up: `ceil((locked * unlocksAt + amount * (now + lockPeriod)) / (locked + amount))`.
/// Principal already unlocked is never locked again, whoever stakes; staking more never re-locks
/// the whole position; the lock-seconds owed (amount times remaining time, summed) are exactly
/// preserved, so splitting or merging stakes neither skips nor extends a lock (beyond the rounding
/// second), and a third party's dust moves a victim's unlock by at most that second. A large gift
/// can delay the victim's locked part at most to a full lock from now, and only by giving them
/// principal.
/// Votes: principal is voting power (`VaultVotes`, ERC-5805 on a timestamp clock), moved by the
/// hooks called right after principal changes in `_stake` and `unstake`.
contract YieldVault is IYieldVault, ReentrancyGuard, VaultVotes {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ------------------------------------------------------------------ errors

    /// @notice A zero amount was given.
    error YieldVault_ZeroAmount();
    /// @notice A zero address was given where an account is required.
    error YieldVault_ZeroAddress();
    /// @notice The source's asset is not the vault's asset.
    error YieldVault_AssetMismatch(address asset, address sourceAsset);
    /// @notice The lock period is above `MAX_LOCK_PERIOD`.
    error YieldVault_LockPeriodTooLong(uint64 lockPeriod, uint64 maxLockPeriod);
    /// @notice `staker`'s principal is locked until `unlocksAt`.
    error YieldVault_Locked(address staker, uint64 unlocksAt);
    /// @notice `staker` asked to unstake `requested` but has only `principal`.
    error YieldVault_InsufficientPrincipal(address staker, uint256 principal, uint256 requested);
    /// @notice A stake of `assets` would be credited no principal (the source rounded it away).
    error YieldVault_ZeroPrincipal(uint256 assets);
    /// @notice The source is worth `value`, less than `totalPrincipal`: no stakes until it recovers
    /// (a new staker would otherwise absorb part of the existing stakers' loss).
    error YieldVault_SourceInLoss(uint256 value, uint256 totalPrincipal);

    // ------------------------------------------------------------------ events

    // Staked, Unstaked, YieldAttributed, Harvested and LossReported: declared in IYieldVault.

    // ------------------------------------------------------------------ storage

    /// @notice Scale of `accYieldPerPrincipal`.
    uint256 public constant ACC_PRECISION = 1e36;
    /// @notice Assets of yield always left in the source to absorb its rounding.
    uint256 public constant ROUNDING_BUFFER = 1_000;
    /// @notice Longest lock period a vault may have.
    uint64 public constant MAX_LOCK_PERIOD = 730 days;

    /// @dev One slot for principal, its locked part and when that part unlocks (`locked` counts
    /// only while `unlocksAt > block.timestamp`; `locked <= principal`); the accumulator snapshot
    /// and yield credited so far.
    struct Position {
        uint104 principal;
        uint104 locked;
        uint48 unlocksAt;
        uint256 accSnapshot;
        uint256 credited;
    }

    IERC20 private immutable _asset;
    IERC4626 private immutable _source;
    address private immutable _beneficiary;
    uint64 private immutable _lockPeriod;

    mapping(address staker => Position) private _positions;
    uint256 private _totalPrincipal;
    uint256 private _stakerCount;
    uint256 private _accYieldPerPrincipal;
    /// @dev Assets held by the vault already attributed (or found with no principal to attribute
    /// to); everything the vault holds belongs to the beneficiary.
    uint256 private _accountedIdle;
    uint256 private _totalHarvested;

    // ------------------------------------------------------------------ constructor

    /// @param asset_ The staked ERC-20; must be `source_.asset()`.
    /// @param source_ The ERC-4626 yield source.
    /// @param beneficiary_ Who receives harvested yield (the agent's TBA).
    /// @param lockPeriod_ Seconds a new stake is locked (averaged into the position's locked part).
    constructor(IERC20 asset_, IERC4626 source_, address beneficiary_, uint64 lockPeriod_)
        EIP712("y2c YieldVault", "1")
    {
        if (address(asset_) == address(0) || address(source_) == address(0) || beneficiary_ == address(0)) {
            revert YieldVault_ZeroAddress();
        }
        address sourceAsset = source_.asset();
        if (sourceAsset != address(asset_)) revert YieldVault_AssetMismatch(address(asset_), sourceAsset);
        if (lockPeriod_ > MAX_LOCK_PERIOD) revert YieldVault_LockPeriodTooLong(lockPeriod_, MAX_LOCK_PERIOD);
        _asset = asset_;
        _source = source_;
        _beneficiary = beneficiary_;
        _lockPeriod = lockPeriod_;
        // The source is immutable and trusted with the principal anyway.
        asset_.forceApprove(address(source_), type(uint256).max);
    }

    // ------------------------------------------------------------------ external

    /// @inheritdoc IYieldVault
    /// @dev Checkpoints first, so the staker shares only yield earned from now on. The principal
    /// credited is `assets`, or less when the source's rounding leaves no buffer to cover it.
    function stake(uint256 assets) external nonReentrant {
        _stake(msg.sender, assets);
    }

    /// @inheritdoc IYieldVault
    /// @dev Same lock rule as `stake` (see the contract's notes): the staker's withdrawable
    /// principal stays withdrawable; the new amount joins their locked part at the weighted unlock
    /// time, so dust cannot extend anyone's lock and a large top-up cannot skip it.
    function stakeFor(address staker, uint256 assets) external nonReentrant {
        if (staker == address(0)) revert YieldVault_ZeroAddress();
        _stake(staker, assets);
    }

    /// @inheritdoc IYieldVault
    /// @dev Pays exactly `principal` when the source holds at least total principal (its rounding
    /// absorbed by the buffer); otherwise the staker's pro-rata part of the source shares, and
    /// `LossReported` is emitted.
    function unstake(uint256 principal) external nonReentrant {
        if (principal == 0) revert YieldVault_ZeroAmount();
        Position storage position = _positions[msg.sender];
        uint256 held = position.principal;
        if (held < principal) revert YieldVault_InsufficientPrincipal(msg.sender, held, principal);
        uint64 unlocks = position.unlocksAt;
        uint256 lockedNow = block.timestamp < unlocks ? position.locked : 0;
        // unchecked: locked <= principal always (a stake adds to both, an unstake takes only from the rest).
        unchecked {
            if (held - lockedNow < principal) revert YieldVault_Locked(msg.sender, unlocks);
        }

        _checkpoint();
        _settle(position);

        uint256 total = _totalPrincipal;
        uint256 shares = _source.balanceOf(address(this));
        uint256 value = _source.previewRedeem(shares);
        bool exact;
        uint256 sharesOut;
        if (value < total) {
            emit LossReported(value, total);
            sharesOut = Math.mulDiv(shares, principal, total);
        } else {
            sharesOut = _source.previewWithdraw(principal);
            exact = sharesOut <= shares && _source.previewRedeem(shares - sharesOut) >= total - principal;
            if (!exact) sharesOut = Math.mulDiv(shares, principal, total);
        }

        // unchecked: principal <= held <= total (checked above; total is the sum of all held).
        unchecked {
            // casting to 'uint104' is safe because held - principal <= held, which fits.
            // forge-lint: disable-next-line(unsafe-typecast)
            position.principal = uint104(held - principal);
            // casting to 'uint104' is safe because lockedNow <= locked, a uint104.
            // forge-lint: disable-next-line(unsafe-typecast)
            position.locked = uint104(lockedNow);
            _totalPrincipal = total - principal;
            if (held == principal) --_stakerCount;
        }
        _onPrincipalRemoved(msg.sender, principal);

        uint256 assetsOut;
        if (exact) {
            _source.withdraw(principal, msg.sender, address(this));
            assetsOut = principal;
        } else {
            assetsOut = _source.redeem(sharesOut, msg.sender, address(this));
        }
        emit Unstaked(msg.sender, principal, assetsOut);
    }

    /// @inheritdoc IYieldVault
    /// @dev Realizes and attributes yield, then sends every asset the vault holds (all of it is
    /// realized yield or donations) to the beneficiary. Never touches principal.
    function harvest() external nonReentrant returns (uint256 amount) {
        _checkpoint();
        uint256 total = _totalPrincipal;
        uint256 value = totalValue();
        if (value < total) emit LossReported(value, total);

        amount = _asset.balanceOf(address(this));
        _accountedIdle = 0;
        _totalHarvested += amount;
        emit Harvested(msg.sender, _beneficiary, amount);
        if (amount != 0) _asset.safeTransfer(_beneficiary, amount);
    }

    /// @inheritdoc IYieldVault
    function asset() external view returns (address) {
        return address(_asset);
    }

    /// @inheritdoc IYieldVault
    function source() external view returns (address) {
        return address(_source);
    }

    /// @inheritdoc IYieldVault
    function beneficiary() external view returns (address) {
        return _beneficiary;
    }

    /// @inheritdoc IYieldVault
    function lockPeriod() external view returns (uint64) {
        return _lockPeriod;
    }

    /// @inheritdoc IYieldVault
    /// @dev The source's `previewRedeem` of all the vault's shares (what redeeming would pay).
    function totalValue() public view returns (uint256) {
        return _source.previewRedeem(_source.balanceOf(address(this)));
    }

    /// @inheritdoc IYieldVault
    function totalPrincipal() external view returns (uint256) {
        return _totalPrincipal;
    }

    /// @inheritdoc IYieldVault
    /// @dev Assets held by the vault plus what the checkpoint would realize from the source.
    function pendingYield() external view returns (uint256) {
        (, uint256 realizable) = _realizable();
        return _asset.balanceOf(address(this)) + realizable;
    }

    /// @inheritdoc IYieldVault
    function totalHarvested() external view returns (uint256) {
        return _totalHarvested;
    }

    /// @inheritdoc IYieldVault
    function principalOf(address staker) external view returns (uint256) {
        return _positions[staker].principal;
    }

    /// @inheritdoc IYieldVault
    function unlocksAt(address staker) external view returns (uint64) {
        return _positions[staker].unlocksAt;
    }

    /// @inheritdoc IYieldVault
    function withdrawableOf(address staker) external view returns (uint256) {
        Position storage position = _positions[staker];
        uint256 held = position.principal;
        return block.timestamp < position.unlocksAt ? held - position.locked : held;
    }

    /// @inheritdoc IYieldVault
    /// @dev Rounded down; the sum over all stakers never exceeds yield realized plus pending.
    function computeBalanceOf(address staker) external view returns (uint256) {
        Position storage position = _positions[staker];
        uint256 acc = _accYieldPerPrincipal;
        uint256 total = _totalPrincipal;
        if (total != 0) {
            (, uint256 realizable) = _realizable();
            uint256 held = _asset.balanceOf(address(this));
            uint256 fresh = held > _accountedIdle ? held - _accountedIdle + realizable : realizable;
            acc += Math.mulDiv(fresh, ACC_PRECISION, total);
        }
        return position.credited + Math.mulDiv(position.principal, acc - position.accSnapshot, ACC_PRECISION);
    }

    /// @inheritdoc IYieldVault
    function stakerCount() external view returns (uint256) {
        return _stakerCount;
    }

    /// @notice Yield attributed per unit of principal since deployment, scaled by `ACC_PRECISION`
    /// (checkpointed part only).
    /// @return The accumulator.
    function accYieldPerPrincipal() external view returns (uint256) {
        return _accYieldPerPrincipal;
    }

    // ------------------------------------------------------------------ internal

    /// @dev Voting units (see `VaultVotes`).
    function _principalOf(address account) internal view override returns (uint256) {
        return _positions[account].principal;
    }

    function _stake(address staker, uint256 assets) internal {
        if (assets == 0) revert YieldVault_ZeroAmount();
        _checkpoint();
        uint256 total = _totalPrincipal;
        uint256 valueBefore = totalValue();
        if (valueBefore < total) revert YieldVault_SourceInLoss(valueBefore, total);

        Position storage position = _positions[staker];
        _settle(position);

        _asset.safeTransferFrom(msg.sender, address(this), assets);
        _source.deposit(assets, address(this));
        // The source rounds shares down: credit no more than the value the stake added on top of
        // total principal (the buffer usually covers the rounding, so this is `assets`).
        uint256 principal = Math.min(assets, totalValue() - total);
        if (principal == 0) revert YieldVault_ZeroPrincipal(assets);

        uint256 held = position.principal;
        uint256 oldUnlock = position.unlocksAt;
        uint256 stillLocked = block.timestamp < oldUnlock ? position.locked : 0;
        uint256 unlocks = block.timestamp + _lockPeriod;
        // Weighted average of the locked part's unlock and a full lock for the new amount, rounded up
        // (never before oldUnlock, never after now + lockPeriod, since oldUnlock <= now + lockPeriod).
        if (stillLocked != 0) {
            unlocks = Math.ceilDiv(stillLocked * oldUnlock + principal * unlocks, stillLocked + principal);
        }
        position.principal = (held + principal).toUint104();
        position.locked = (stillLocked + principal).toUint104();
        position.unlocksAt = unlocks.toUint48();
        _totalPrincipal = total + principal;
        if (held == 0) ++_stakerCount;
        _onPrincipalAdded(staker, held, principal);
        // casting to 'uint64' is safe because unlocks fits uint48, checked above.
        // forge-lint: disable-next-line(unsafe-typecast)
        emit Staked(staker, assets, principal, uint64(unlocks));
    }

    /// @dev Realizes the source's yield above `totalPrincipal + ROUNDING_BUFFER` into the vault and
    /// attributes every asset the vault holds and has not yet accounted to the current principal.
    /// With no principal, it is accounted and left to the beneficiary, attributed to nobody.
    function _checkpoint() internal {
        (uint256 excessShares, uint256 realizable) = _realizable();
        if (realizable != 0) _source.redeem(excessShares, address(this), address(this));

        uint256 held = _asset.balanceOf(address(this));
        uint256 accounted = _accountedIdle;
        if (held == accounted) return;
        _accountedIdle = held;
        if (held < accounted) return;
        uint256 total = _totalPrincipal;
        if (total == 0) return;
        // unchecked: held > accounted (both checked above).
        uint256 fresh;
        unchecked {
            fresh = held - accounted;
        }
        uint256 acc = _accYieldPerPrincipal + Math.mulDiv(fresh, ACC_PRECISION, total);
        _accYieldPerPrincipal = acc;
        emit YieldAttributed(fresh, acc);
    }

    /// @dev Credits the position with yield attributed since its snapshot (rounded down).
    function _settle(Position storage position) internal {
        uint256 acc = _accYieldPerPrincipal;
        uint256 snapshot = position.accSnapshot;
        if (acc == snapshot) return;
        uint256 held = position.principal;
        if (held != 0) position.credited += Math.mulDiv(held, acc - snapshot, ACC_PRECISION);
        position.accSnapshot = acc;
    }

    /// @dev Source shares beyond those needed to withdraw `totalPrincipal + ROUNDING_BUFFER`, and
    /// what redeeming them pays now. All of them when there is no principal.
    function _realizable() internal view returns (uint256 excessShares, uint256 assets) {
        uint256 shares = _source.balanceOf(address(this));
        if (shares == 0) return (0, 0);
        uint256 total = _totalPrincipal;
        uint256 keep = total == 0 ? 0 : _source.previewWithdraw(total + ROUNDING_BUFFER);
        if (shares <= keep) return (0, 0);
        // unchecked: shares > keep (checked above).
        unchecked {
            excessShares = shares - keep;
        }
        assets = _source.previewRedeem(excessShares);
    }
}
