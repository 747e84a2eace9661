// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title StakedEther
/// @notice The devnet's "ETH yield source": a wstETH-like ERC-4626 over WETH whose exchange rate grows
/// every second at a configurable APR (as sUSDx does for USDx). Unlike wstETH it is a plain ERC-4626,
/// so the vault uses it with no adapter.
/// @dev Funding: ether cannot be minted, so interest is paid from a reward reserve (WETH anyone adds
/// with `fundRewards`, standing for the validators' rewards). The reserve is not part of
/// `totalAssets()`; at each drip (every deposit, withdraw, `setApr`, `simulateLoss`, `drip()`) the
/// interest accrued on the earning assets since the last drip moves from the reserve into the earning
/// assets, capped by the reserve: when it runs dry the rate stops growing, it never reverts.
/// Interest is simple between drips and compounds at each drip, on the accounted earning assets; a
/// plain donation raises the rate at once and earns from the next drip on.
/// Inflation attack: `_decimalsOffset()` is 6, as in sUSDx.
contract StakedEther is ERC4626, Ownable {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ------------------------------------------------------------------ errors

    /// @notice `aprBps` is above `MAX_APR_BPS`.
    error StakedEther_AprTooHigh(uint16 aprBps, uint16 maxAprBps);
    /// @notice A simulated loss of `assets` is above the earning `balance`.
    error StakedEther_LossExceedsAssets(uint256 assets, uint256 balance);

    // ------------------------------------------------------------------ events

    /// @notice The APR changed from `oldAprBps` to `newAprBps`.
    event AprSet(uint16 oldAprBps, uint16 newAprBps);
    /// @notice `assets` were added to the reward reserve by `funder`.
    event RewardsFunded(address indexed funder, uint256 assets);
    /// @notice `interest` moved from the reserve into the earning assets.
    event Dripped(uint256 interest, uint64 timestamp);
    /// @notice `assets` were moved to the owner, lowering the exchange rate.
    event LossSimulated(uint256 assets);

    // ------------------------------------------------------------------ storage

    /// @notice Highest APR the owner may set: 100%.
    uint16 public constant MAX_APR_BPS = 10_000;
    uint256 private constant _BPS = 10_000;
    uint256 private constant _YEAR = 365 days;

    uint16 private _aprBps;
    uint192 private _earning;
    uint64 private _lastDrip;
    uint256 private _reserve;

    // ------------------------------------------------------------------ constructor

    /// @param weth_ The asset (WETH).
    /// @param aprBps_ Initial APR in basis points (300 = 3%, about stETH's).
    /// @param owner_ Who may set the APR and simulate losses.
    constructor(IERC20 weth_, uint16 aprBps_, address owner_)
        ERC20("Staked Ether (devnet)", "stETHx")
        ERC4626(weth_)
        Ownable(owner_)
    {
        if (aprBps_ > MAX_APR_BPS) revert StakedEther_AprTooHigh(aprBps_, MAX_APR_BPS);
        _aprBps = aprBps_;
        _lastDrip = uint64(block.timestamp);
        emit AprSet(0, aprBps_);
    }

    // ------------------------------------------------------------------ external

    /// @notice Adds `assets` of the caller's WETH to the reward reserve interest is paid from.
    /// @param assets How much to add.
    function fundRewards(uint256 assets) external {
        _drip();
        IERC20(asset()).safeTransferFrom(msg.sender, address(this), assets);
        _reserve += assets;
        emit RewardsFunded(msg.sender, assets);
    }

    /// @notice Moves the interest accrued since the last drip from the reserve; anyone may call.
    /// @return interest The assets moved.
    function drip() external returns (uint256 interest) {
        return _drip();
    }

    /// @notice Sets the APR, after accruing at the old one; only the owner.
    /// @param newAprBps New APR in basis points, at most `MAX_APR_BPS`.
    function setApr(uint16 newAprBps) external onlyOwner {
        if (newAprBps > MAX_APR_BPS) revert StakedEther_AprTooHigh(newAprBps, MAX_APR_BPS);
        _drip();
        uint16 old = _aprBps;
        _aprBps = newAprBps;
        emit AprSet(old, newAprBps);
    }

    /// @notice Moves `assets` of the earning assets to the owner, so every share is worth less; only
    /// the owner. For tests and the devnet (a slashing).
    /// @param assets How much to take away.
    function simulateLoss(uint256 assets) external onlyOwner {
        _drip();
        uint256 balance = _held();
        if (assets > balance) revert StakedEther_LossExceedsAssets(assets, balance);
        IERC20(asset()).safeTransfer(owner(), assets);
        _spend(assets);
        emit LossSimulated(assets);
    }

    /// @notice Current APR in basis points.
    /// @return The APR.
    function aprBps() external view returns (uint16) {
        return _aprBps;
    }

    /// @notice WETH left to pay interest from.
    /// @return The reserve, as of the last drip.
    function rewardReserve() external view returns (uint256) {
        return _reserve;
    }

    /// @notice Assets that earn interest until the next drip.
    /// @return The assets.
    function earningAssets() external view returns (uint256) {
        return _earning;
    }

    /// @notice Assets held for shareholders (not the reserve) plus interest accrued and payable.
    /// @return The total assets.
    function totalAssets() public view override returns (uint256) {
        return _held() + _accrued();
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

    /// @dev Moves the accrued interest (capped by the reserve) from the reserve to the shareholders,
    /// then makes every asset held for them earn from now on. `totalAssets()` is unchanged by it, so
    /// previews taken before the drip in the same transaction stay exact.
    function _drip() internal returns (uint256 interest) {
        if (_lastDrip == block.timestamp) return 0;
        interest = _accrued();
        _lastDrip = uint64(block.timestamp);
        if (interest != 0) {
            _reserve -= interest;
            emit Dripped(interest, uint64(block.timestamp));
        }
        _earning = _held().toUint192();
    }

    /// @dev WETH held for shareholders: the balance minus the reserve.
    function _held() internal view returns (uint256) {
        return IERC20(asset()).balanceOf(address(this)) - _reserve;
    }

    function _spend(uint256 assets) internal {
        uint256 earning = _earning;
        // casting to 'uint192' is safe because the result is at most `earning`, a uint192.
        // forge-lint: disable-next-line(unsafe-typecast)
        _earning = earning > assets ? uint192(earning - assets) : 0;
    }

    /// @dev Interest on the earning assets since the last drip, at most the reserve.
    function _accrued() internal view returns (uint256) {
        uint256 due = uint256(_earning) * _aprBps * (block.timestamp - _lastDrip) / (_BPS * _YEAR);
        uint256 reserve = _reserve;
        return due < reserve ? due : reserve;
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }
}
