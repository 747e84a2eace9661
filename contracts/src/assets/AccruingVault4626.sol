// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title AccruingVault4626
/// @notice The devnet yield sources' common part: an ERC-4626 whose exchange rate grows every
/// second at a configurable APR, with an owner who sets the APR and may simulate a loss. sUSDx
/// (interest minted) and StakedEther (interest paid from a reserve) differ only in where interest
/// comes from and which balance belongs to shareholders.
/// @dev Interest is simple between drips and compounds at each drip, on the accounted earning
/// assets (`earningAssets()`: deposits and dripped interest, minus withdrawals and losses), not on
/// the balance: a plain donation raises the rate at once and earns from the next drip on, never
/// backdated. Every deposit, mint, withdraw, redeem, `setApr`, `simulateLoss` and `drip()` drips
/// first. A drip leaves `totalAssets()` unchanged, so previews taken before it in the same
/// transaction stay exact. `_decimalsOffset()` is 6 (shares have 6 more decimals than the asset):
/// OpenZeppelin's virtual shares make a first-depositor donation attack cost the attacker about a
/// million times what it could take from a victim.
/// Hooks for the concrete source: `_held()` (the assets held for shareholders), `_cap(due)`
/// (how much of the interest due can be paid now), `_payInterest(interest)` (bring it in), and
/// the two reverts that carry the concrete source's own error.
abstract contract AccruingVault4626 is ERC4626, Ownable {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ------------------------------------------------------------------ events

    /// @notice The APR changed from `oldAprBps` to `newAprBps`.
    event AprSet(uint16 oldAprBps, uint16 newAprBps);
    /// @notice `interest` assets joined the shareholders' assets.
    event Dripped(uint256 interest, uint64 timestamp);
    /// @notice `assets` were moved to the owner, lowering the exchange rate.
    event LossSimulated(uint256 assets);

    // ------------------------------------------------------------------ storage

    /// @notice Highest APR the owner may set: 100%.
    uint16 public constant MAX_APR_BPS = 10_000;
    uint256 private constant _BPS = 10_000;
    uint256 private constant _YEAR = 365 days;

    uint16 private _aprBps;
    /// @dev Assets that earn interest: the shareholders' assets as of the last drip, plus deposits,
    /// minus withdrawals and losses since. Donations join it at the next drip.
    uint192 private _earning;
    uint64 private _lastDrip;

    // ------------------------------------------------------------------ constructor

    /// @param aprBps_ Initial APR in basis points, at most `MAX_APR_BPS`.
    constructor(uint16 aprBps_) {
        if (aprBps_ > MAX_APR_BPS) _revertAprTooHigh(aprBps_);
        _aprBps = aprBps_;
        _lastDrip = uint64(block.timestamp);
        emit AprSet(0, aprBps_);
    }

    // ------------------------------------------------------------------ external

    /// @notice Brings in the interest accrued since the last drip; anyone may call.
    /// @return interest The assets added to the shareholders'.
    function drip() external returns (uint256 interest) {
        return _drip();
    }

    /// @notice Sets the APR, after accruing at the old one; only the owner.
    /// @param newAprBps New APR in basis points, at most `MAX_APR_BPS`.
    function setApr(uint16 newAprBps) external onlyOwner {
        if (newAprBps > MAX_APR_BPS) _revertAprTooHigh(newAprBps);
        _drip();
        uint16 old = _aprBps;
        _aprBps = newAprBps;
        emit AprSet(old, newAprBps);
    }

    /// @notice Moves `assets` of the shareholders' assets to the owner, so every share is worth
    /// less; only the owner. For tests and the devnet (a loss, a slashing).
    /// @param assets How much to take away.
    function simulateLoss(uint256 assets) external onlyOwner {
        _drip();
        uint256 balance = _held();
        if (assets > balance) _revertLossExceedsAssets(assets, balance);
        IERC20(asset()).safeTransfer(owner(), assets);
        _spend(assets);
        emit LossSimulated(assets);
    }

    /// @notice Current APR in basis points.
    /// @return The APR.
    function aprBps() external view returns (uint16) {
        return _aprBps;
    }

    /// @notice When interest was last brought in.
    /// @return The timestamp.
    function lastDrip() external view returns (uint64) {
        return _lastDrip;
    }

    /// @notice Assets that earn interest until the next drip (a donation joins them at the next drip).
    /// @return The assets.
    function earningAssets() external view returns (uint256) {
        return _earning;
    }

    /// @notice Assets held for shareholders plus interest accrued and payable, not yet brought in.
    /// @return The total assets.
    function totalAssets() public view override returns (uint256) {
        return _held() + _accrued();
    }

    // ------------------------------------------------------------------ hooks

    /// @dev The assets held for shareholders (the balance, less any reserve kept apart).
    function _held() internal view virtual returns (uint256);

    /// @dev How much of `due` interest can be paid now (at most `due`).
    function _cap(uint256 due) internal view virtual returns (uint256);

    /// @dev Brings `interest` (non-zero, at most `_cap` of what was due) into the shareholders' assets.
    function _payInterest(uint256 interest) internal virtual;

    /// @dev Reverts with the concrete source's "APR too high" error.
    function _revertAprTooHigh(uint16 aprBps_) internal pure virtual;

    /// @dev Reverts with the concrete source's "loss exceeds assets" error.
    function _revertLossExceedsAssets(uint256 assets, uint256 balance) internal pure virtual;

    // ------------------------------------------------------------------ internal

    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        _drip();
        super._deposit(caller, receiver, assets, shares);
        _earning = (_earning + assets).toUint192();
    }

    function _withdraw(address caller, address receiver, address owner_, uint256 assets, uint256 shares)
        internal
        override
    {
        _drip();
        super._withdraw(caller, receiver, owner_, assets, shares);
        _spend(assets);
    }

    /// @dev Brings in the interest accrued on the earning assets, then makes every asset held for
    /// shareholders earn from now on (a donation since the last drip joins here, with no interest
    /// for the time before).
    function _drip() internal returns (uint256 interest) {
        if (_lastDrip == block.timestamp) return 0; // a donation in this second joins at the next drip
        interest = _accrued();
        _lastDrip = uint64(block.timestamp);
        if (interest != 0) {
            _payInterest(interest);
            emit Dripped(interest, uint64(block.timestamp));
        }
        _earning = _held().toUint192();
    }

    /// @dev `assets` left the shareholders: they stop earning (saturating: a donation not yet
    /// accounted may have paid part of them).
    function _spend(uint256 assets) internal {
        uint256 earning = _earning;
        // casting to 'uint192' is safe because the result is at most `earning`, a uint192.
        // forge-lint: disable-next-line(unsafe-typecast)
        _earning = earning > assets ? uint192(earning - assets) : 0;
    }

    /// @dev Interest on the earning assets since the last drip, capped by `_cap`.
    function _accrued() internal view returns (uint256) {
        return _cap(uint256(_earning) * _aprBps * (block.timestamp - _lastDrip) / (_BPS * _YEAR));
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }
}
