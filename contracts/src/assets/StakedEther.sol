// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AccruingVault4626} from "./AccruingVault4626.sol";

/// @title StakedEther
/// @notice The devnet's "ETH yield source": a wstETH-like ERC-4626 over WETH whose exchange rate grows
/// every second at a configurable APR (accrual in `AccruingVault4626`, as sUSDx). Unlike wstETH it is
/// a plain ERC-4626, so the vault uses it with no adapter (`WstETHAdapter` is the real network's).
/// @dev Funding: ether cannot be minted, so interest is paid from a reward reserve (WETH anyone adds
/// with `fundRewards`, standing for the validators' rewards). The reserve is not part of
/// `totalAssets()`; at each drip the interest accrued on the earning assets since the last drip
/// moves from the reserve into the earning assets, capped by the reserve: when it runs dry the rate
/// stops growing, it never reverts.
contract StakedEther is AccruingVault4626 {
    using SafeERC20 for IERC20;

    // ------------------------------------------------------------------ errors

    /// @notice `aprBps` is above `MAX_APR_BPS`.
    error StakedEther_AprTooHigh(uint16 aprBps, uint16 maxAprBps);
    /// @notice A simulated loss of `assets` is above the earning `balance`.
    error StakedEther_LossExceedsAssets(uint256 assets, uint256 balance);

    // ------------------------------------------------------------------ events

    /// @notice `assets` were added to the reward reserve by `funder`.
    event RewardsFunded(address indexed funder, uint256 assets);

    // ------------------------------------------------------------------ storage

    uint256 private _reserve;

    // ------------------------------------------------------------------ constructor

    /// @param weth_ The asset (WETH).
    /// @param aprBps_ Initial APR in basis points (300 = 3%, about stETH's).
    /// @param owner_ Who may set the APR and simulate losses.
    constructor(IERC20 weth_, uint16 aprBps_, address owner_)
        ERC20("Staked Ether (devnet)", "stETHx")
        ERC4626(weth_)
        Ownable(owner_)
        AccruingVault4626(aprBps_)
    {}

    // ------------------------------------------------------------------ external

    /// @notice Adds `assets` of the caller's WETH to the reward reserve interest is paid from.
    /// @param assets How much to add.
    function fundRewards(uint256 assets) external {
        _drip();
        IERC20(asset()).safeTransferFrom(msg.sender, address(this), assets);
        _reserve += assets;
        emit RewardsFunded(msg.sender, assets);
    }

    /// @notice WETH left to pay interest from.
    /// @return The reserve, as of the last drip.
    function rewardReserve() external view returns (uint256) {
        return _reserve;
    }

    // ------------------------------------------------------------------ hooks

    /// @dev WETH held for shareholders: the balance minus the reserve.
    function _held() internal view override returns (uint256) {
        return IERC20(asset()).balanceOf(address(this)) - _reserve;
    }

    /// @dev Interest is paid from the reserve: at most the reserve.
    function _cap(uint256 due) internal view override returns (uint256) {
        uint256 reserve = _reserve;
        return due < reserve ? due : reserve;
    }

    function _payInterest(uint256 interest) internal override {
        _reserve -= interest;
    }

    function _revertAprTooHigh(uint16 aprBps_) internal pure override {
        revert StakedEther_AprTooHigh(aprBps_, MAX_APR_BPS);
    }

    function _revertLossExceedsAssets(uint256 assets, uint256 balance) internal pure override {
        revert StakedEther_LossExceedsAssets(assets, balance);
    }
}
