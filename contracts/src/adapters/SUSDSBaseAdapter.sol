// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {YieldTokenAdapter} from "./YieldTokenAdapter.sol";
import {IPSM3} from "./IPSM3.sol";

/// @title SUSDSBaseAdapter
/// @notice ERC-4626 over sUSDS on Base for a vault that stakes USDC. On Ethereum sUSDS is itself
/// ERC-4626 over USDS (the vault uses it directly); on Base it is a bridged plain ERC-20 whose
/// value comes from Spark's rate provider, and USDC enters and leaves it only through the Spark
/// PSM (PSM3). One share is one sUSDS unit (18 decimals).
/// @dev The quirks, handled here:
/// - The rate is an oracle's (`rateProvider().getConversionRate()`, 1e27), pushed from mainnet:
///   every figure is the PSM's own preview, so the adapter never values sUSDS at a rate the PSM
///   would not pay.
/// - The PSM rounds every swap in its favour (down out, up in): previews are the PSM's previews.
/// - Liquidity is finite: a withdrawal needs USDC in the PSM's pocket, a deposit needs sUSDS in the
///   PSM. Short liquidity makes `withdraw`/`redeem` revert with `YieldTokenAdapter_Illiquid` (and a
///   deposit with `YieldTokenAdapter_DepositExceedsRoom`) before anything moves; `max*` report it.
/// - Swaps carry the preview as their minimum out (maximum in): a rate moved within the same
///   transaction cannot make one pay worse.
contract SUSDSBaseAdapter is YieldTokenAdapter {
    using SafeERC20 for IERC20;

    IPSM3 private immutable _psm;
    address private immutable _usdc;
    address private immutable _susds;

    /// @param psm_ The Spark PSM3; its `usdc()` is the vault's asset, its `susds()` the held token.
    constructor(IPSM3 psm_)
        YieldTokenAdapter(IERC20(psm_.usdc()), IERC20Metadata(psm_.susds()), "y2c sUSDS (Base) adapter", "y2c-sUSDS")
    {
        _psm = psm_;
        _usdc = psm_.usdc();
        _susds = psm_.susds();
        IERC20(_usdc).forceApprove(address(psm_), type(uint256).max);
        IERC20(_susds).forceApprove(address(psm_), type(uint256).max);
    }

    /// @notice The PSM swapped through.
    /// @return The PSM3 address.
    function psm() external view returns (address) {
        return address(_psm);
    }

    /// @inheritdoc YieldTokenAdapter
    function previewDeposit(uint256 assets) public view override returns (uint256) {
        return _psm.previewSwapExactIn(_usdc, _susds, assets);
    }

    /// @inheritdoc YieldTokenAdapter
    function previewMint(uint256 shares) public view override returns (uint256) {
        return _psm.previewSwapExactOut(_usdc, _susds, shares);
    }

    /// @inheritdoc YieldTokenAdapter
    function previewWithdraw(uint256 assets) public view override returns (uint256) {
        return _psm.previewSwapExactOut(_susds, _usdc, assets);
    }

    /// @inheritdoc YieldTokenAdapter
    function previewRedeem(uint256 shares) public view override returns (uint256) {
        return _psm.previewSwapExactIn(_susds, _usdc, shares);
    }

    function _toShares(uint256 assets) internal view override returns (uint256) {
        return _psm.previewSwapExactIn(_usdc, _susds, assets);
    }

    function _toAssets(uint256 shares) internal view override returns (uint256) {
        return _psm.previewSwapExactIn(_susds, _usdc, shares);
    }

    /// @dev The USDC whose swap the PSM's sUSDS can fill.
    function _depositRoom() internal view override returns (uint256) {
        return _psm.previewSwapExactIn(_susds, _usdc, IERC20(_susds).balanceOf(address(_psm)));
    }

    /// @dev The USDC in the PSM's pocket.
    function _exitLiquidity() internal view override returns (uint256) {
        return IERC20(_usdc).balanceOf(_psm.pocket());
    }

    function _enter(address from, uint256 assets, uint256 exactShares) internal override returns (uint256 got) {
        IERC20(_usdc).safeTransferFrom(from, address(this), assets);
        if (exactShares != 0) {
            _psm.swapExactOut(_usdc, _susds, exactShares, assets, address(this), 0);
            return exactShares;
        }
        uint256 out = previewDeposit(assets);
        if (out == 0) return 0;
        got = _psm.swapExactIn(_usdc, _susds, assets, out, address(this), 0);
    }

    /// @dev The PSM prices sUSDS out of USDC in whole USDC units (1e12 sUSDS units): only whole
    /// multiples can be burned for their full value.
    function _burnable(uint256 shares) internal pure override returns (uint256) {
        return shares - shares % 1e12;
    }

    function _exitExact(uint256 assets, uint256 shares, address receiver) internal override {
        if (assets == 0) return;
        _psm.swapExactOut(_susds, _usdc, assets, shares, receiver, 0);
    }

    function _exit(uint256 shares, address receiver) internal override returns (uint256 assets) {
        assets = previewRedeem(shares);
        if (assets == 0) return 0; // dust too small to swap stays burned: at most one USDC unit's worth
        assets = _psm.swapExactIn(_susds, _usdc, shares, assets, receiver, 0);
    }
}
