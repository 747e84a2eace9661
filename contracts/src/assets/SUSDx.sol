// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice What sUSDx needs from its asset: the right to mint its own interest.
interface IMintableERC20 {
    function mint(address to, uint256 amount) external;
}

/// @title SUSDx
/// @notice "Staked USDx": the devnet ERC-4626 yield source. Its exchange rate grows every second
/// at a configurable APR; the owner can also simulate a loss.
/// @dev Funding: interest is real, not virtual. `totalAssets()` is the asset balance plus the
/// interest accrued since the last drip; every deposit, mint, withdraw, redeem, `setApr`,
/// `simulateLoss` (and anyone calling `drip()`) first mints that interest from the asset into this
/// contract, so this contract MUST be allowed to call `mint(address,uint256)` on the asset
/// (USDx: `usdx.setMinter(address(susdx), true)`). Without it, with a non-zero APR, every
/// state-changing call reverts.
/// Interest is simple between drips and compounds at each drip, on the assets this contract has
/// accounted (`earningAssets()`: deposits and dripped interest, minus withdrawals and losses), not on
/// `balanceOf`: a plain donation raises the rate at once but earns interest only from the first drip
/// after it, never backdated to the drip before it.
/// Inflation (donation) attack: `_decimalsOffset()` is 6, so shares have 12 decimals and the
/// virtual shares/assets of OpenZeppelin's ERC4626 make a first-depositor donation attack cost
/// the attacker about a million times what it could take from a victim.
contract SUSDx is ERC4626, Ownable {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ------------------------------------------------------------------ errors

    /// @notice `aprBps` is above `MAX_APR_BPS`.
    error SUSDx_AprTooHigh(uint16 aprBps, uint16 maxAprBps);
    /// @notice A simulated loss of `assets` is above the `balance` held.
    error SUSDx_LossExceedsAssets(uint256 assets, uint256 balance);

    // ------------------------------------------------------------------ events

    /// @notice The APR changed from `oldAprBps` to `newAprBps`.
    event AprSet(uint16 oldAprBps, uint16 newAprBps);
    /// @notice `interest` assets were minted into the vault.
    event Dripped(uint256 interest, uint64 timestamp);
    /// @notice `assets` were moved to the owner, lowering the exchange rate.
    event LossSimulated(uint256 assets);

    // ------------------------------------------------------------------ storage

    /// @notice Highest APR the owner may set: 100%.
    uint16 public constant MAX_APR_BPS = 10_000;
    uint256 private constant _BPS = 10_000;
    uint256 private constant _YEAR = 365 days;

    uint16 private _aprBps;
    /// @dev Assets that earn interest: the balance as of the last drip, plus deposits, minus
    /// withdrawals and losses since. Donations join it at the next drip. Declared before
    /// `_lastDrip` so the two share one slot (every drip writes both) that the constructor makes
    /// non-zero: no deposit pays for a fresh slot.
    uint192 private _earning;
    uint64 private _lastDrip;

    // ------------------------------------------------------------------ constructor

    /// @param asset_ The asset (USDx); this contract must be made one of its minters.
    /// @param aprBps_ Initial APR in basis points (500 = 5%).
    /// @param owner_ Who may set the APR and simulate losses.
    constructor(IERC20 asset_, uint16 aprBps_, address owner_)
        ERC20("Staked USDx", "sUSDx")
        ERC4626(asset_)
        Ownable(owner_)
    {
        if (aprBps_ > MAX_APR_BPS) revert SUSDx_AprTooHigh(aprBps_, MAX_APR_BPS);
        _aprBps = aprBps_;
        _lastDrip = uint64(block.timestamp);
        emit AprSet(0, aprBps_);
    }

    // ------------------------------------------------------------------ external

    /// @notice Mints the interest accrued since the last drip into this vault; anyone may call.
    /// @return interest The assets minted.
    function drip() external returns (uint256 interest) {
        return _drip();
    }

    /// @notice Sets the APR, after accruing at the old one; only the owner.
    /// @param newAprBps New APR in basis points, at most `MAX_APR_BPS`.
    function setApr(uint16 newAprBps) external onlyOwner {
        if (newAprBps > MAX_APR_BPS) revert SUSDx_AprTooHigh(newAprBps, MAX_APR_BPS);
        _drip();
        uint16 old = _aprBps;
        _aprBps = newAprBps;
        emit AprSet(old, newAprBps);
    }

    /// @notice Moves `assets` out of the vault to the owner, so every share is worth less; only the
    /// owner. For tests and the devnet.
    /// @param assets How much to take away.
    function simulateLoss(uint256 assets) external onlyOwner {
        _drip();
        uint256 balance = IERC20(asset()).balanceOf(address(this));
        if (assets > balance) revert SUSDx_LossExceedsAssets(assets, balance);
        IERC20(asset()).safeTransfer(owner(), assets);
        _spend(assets);
        emit LossSimulated(assets);
    }

    /// @notice Current APR in basis points.
    /// @return The APR.
    function aprBps() external view returns (uint16) {
        return _aprBps;
    }

    /// @notice When interest was last minted.
    /// @return The timestamp.
    function lastDrip() external view returns (uint64) {
        return _lastDrip;
    }

    /// @notice Assets that earn interest until the next drip (a donation joins them at the next drip).
    /// @return The assets.
    function earningAssets() external view returns (uint256) {
        return _earning;
    }

    /// @notice Assets held plus interest accrued (on `earningAssets()`) and not yet minted.
    /// @return The total assets.
    function totalAssets() public view override returns (uint256) {
        return IERC20(asset()).balanceOf(address(this)) + _accrued();
    }

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

    /// @dev Mints the interest accrued on the earning assets, then makes every asset held earn from
    /// now on (a donation since the last drip joins here, with no interest for the time before).
    /// Minting the accrued interest leaves `totalAssets()` unchanged, so shares and assets previewed
    /// before the drip (in the same transaction) stay exact.
    function _drip() internal returns (uint256 interest) {
        if (_lastDrip == block.timestamp) return 0; // a donation in this second joins at the next drip
        interest = _accrued();
        _lastDrip = uint64(block.timestamp);
        if (interest != 0) {
            IMintableERC20(asset()).mint(address(this), interest);
            emit Dripped(interest, uint64(block.timestamp));
        }
        _earning = IERC20(asset()).balanceOf(address(this)).toUint192();
    }

    /// @dev `assets` left the contract: they stop earning (saturating: a donation not yet accounted
    /// may have paid part of them).
    function _spend(uint256 assets) internal {
        uint256 earning = _earning;
        // casting to 'uint192' is safe because the result is at most `earning`, a uint192.
        // forge-lint: disable-next-line(unsafe-typecast)
        _earning = earning > assets ? uint192(earning - assets) : 0;
    }

    function _accrued() internal view returns (uint256) {
        return uint256(_earning) * _aprBps * (block.timestamp - _lastDrip) / (_BPS * _YEAR);
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }
}
