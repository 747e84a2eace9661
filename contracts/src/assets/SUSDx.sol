// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AccruingVault4626} from "./AccruingVault4626.sol";

/// @notice What sUSDx needs from its asset: the right to mint its own interest.
interface IMintableERC20 {
    function mint(address to, uint256 amount) external;
}

/// @title SUSDx
/// @notice "Staked USDx": the devnet ERC-4626 yield source. Its exchange rate grows every second
/// at a configurable APR; the owner can also simulate a loss (accrual in `AccruingVault4626`).
/// @dev Funding: interest is real, not virtual. `totalAssets()` is the asset balance plus the
/// interest accrued since the last drip; every drip first mints that interest from the asset into
/// this contract, so this contract MUST be allowed to call `mint(address,uint256)` on the asset
/// (USDx: `usdx.setMinter(address(susdx), true)`). Without it, with a non-zero APR, every
/// state-changing call reverts.
contract SUSDx is AccruingVault4626 {
    // ------------------------------------------------------------------ errors

    /// @notice `aprBps` is above `MAX_APR_BPS`.
    error SUSDx_AprTooHigh(uint16 aprBps, uint16 maxAprBps);
    /// @notice A simulated loss of `assets` is above the `balance` held.
    error SUSDx_LossExceedsAssets(uint256 assets, uint256 balance);

    // ------------------------------------------------------------------ constructor

    /// @param asset_ The asset (USDx); this contract must be made one of its minters.
    /// @param aprBps_ Initial APR in basis points (500 = 5%).
    /// @param owner_ Who may set the APR and simulate losses.
    constructor(IERC20 asset_, uint16 aprBps_, address owner_)
        ERC20("Staked USDx", "sUSDx")
        ERC4626(asset_)
        Ownable(owner_)
        AccruingVault4626(aprBps_)
    {}

    // ------------------------------------------------------------------ hooks

    /// @dev Every asset held belongs to shareholders.
    function _held() internal view override returns (uint256) {
        return IERC20(asset()).balanceOf(address(this));
    }

    /// @dev Interest is minted: all of it can be paid.
    function _cap(uint256 due) internal pure override returns (uint256) {
        return due;
    }

    function _payInterest(uint256 interest) internal override {
        IMintableERC20(asset()).mint(address(this), interest);
    }

    function _revertAprTooHigh(uint16 aprBps_) internal pure override {
        revert SUSDx_AprTooHigh(aprBps_, MAX_APR_BPS);
    }

    function _revertLossExceedsAssets(uint256 assets, uint256 balance) internal pure override {
        revert SUSDx_LossExceedsAssets(assets, balance);
    }
}
