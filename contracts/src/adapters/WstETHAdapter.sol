// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {YieldTokenAdapter} from "./YieldTokenAdapter.sol";
import {IStETH, IWstETH} from "./IStETH.sol";

/// @title WstETHAdapter
/// @notice ERC-4626 over Lido's wstETH for a vault that stakes stETH (Ethereum mainnet): wstETH is
/// not ERC-4626, its value is `stEthPerToken()`. One share is one wstETH, which is one stETH share.
/// @dev stETH's quirks, handled here:
/// - Rebasing: the adapter holds wstETH, never stETH between calls, so rebases reach shareholders
///   through the rate only.
/// - Transfers round shares down (1-2 wei): amounts received are measured in stETH shares
///   (`sharesOf` before and after), never assumed; wrapping asks for exactly the shares received;
///   a withdrawal sends the fewest shares (`transferShares`) that raise the receiver's balance by the
///   assets asked: it rises by exactly that or one wei more (paid by the owner's burned shares).
/// - `unwrap` sends `getPooledEthByShares(n)` stETH by amount, so it may deliver one share less:
///   `previewWithdraw` burns one share more than the exact amount, `previewRedeem(n)` is the value
///   of `n - 1` shares. A share left over stays here, unowned.
/// Exits never lack liquidity (unwrapping is always possible); deposits have no cap.
/// Assumes `getTotalPooledEther() >= getTotalShares()` (the rate never fell below 1 on mainnet).
contract WstETHAdapter is YieldTokenAdapter {
    using SafeERC20 for IERC20;

    IStETH private immutable _steth;
    IWstETH private immutable _wsteth;

    /// @param wsteth The wstETH token; its `stETH()` is the vault's asset.
    constructor(IWstETH wsteth)
        YieldTokenAdapter(IERC20(wsteth.stETH()), IERC20Metadata(address(wsteth)), "y2c wstETH adapter", "y2c-wstETH")
    {
        _wsteth = wsteth;
        _steth = IStETH(wsteth.stETH());
        IERC20(address(_steth)).forceApprove(address(wsteth), type(uint256).max);
    }

    /// @notice The wrapped token held.
    /// @return The wstETH address.
    function wstETH() external view returns (address) {
        return address(_wsteth);
    }

    /// @inheritdoc YieldTokenAdapter
    function previewDeposit(uint256 assets) public view override returns (uint256) {
        return _steth.getSharesByPooledEth(assets);
    }

    /// @inheritdoc YieldTokenAdapter
    function previewMint(uint256 shares) public view override returns (uint256) {
        return _pooledUp(shares);
    }

    /// @inheritdoc YieldTokenAdapter
    function previewWithdraw(uint256 assets) public view override returns (uint256) {
        if (assets == 0) return 0;
        return _sharesUp(assets) + 1;
    }

    /// @inheritdoc YieldTokenAdapter
    function previewRedeem(uint256 shares) public view override returns (uint256) {
        return shares == 0 ? 0 : _steth.getPooledEthByShares(shares - 1);
    }

    function _toShares(uint256 assets) internal view override returns (uint256) {
        return _steth.getSharesByPooledEth(assets);
    }

    function _toAssets(uint256 shares) internal view override returns (uint256) {
        return _steth.getPooledEthByShares(shares);
    }

    function _depositRoom() internal pure override returns (uint256) {
        return type(uint256).max;
    }

    function _exitLiquidity() internal pure override returns (uint256) {
        return type(uint256).max;
    }

    /// @dev Pulls the stETH, measures the shares that arrived, wraps exactly those.
    function _enter(address from, uint256 assets, uint256) internal override returns (uint256 got) {
        uint256 before = _steth.sharesOf(address(this));
        IERC20(address(_steth)).safeTransferFrom(from, address(this), assets);
        uint256 arrived = _steth.sharesOf(address(this)) - before;
        if (arrived == 0) return 0;
        got = _wsteth.wrap(_pooledUp(arrived));
    }

    /// @dev Sends the fewest stETH shares that raise the receiver's balance by `assets` (it rises by
    /// `assets` or one wei more): at most `_sharesUp(assets)`, which the unwrap always delivers.
    function _exitExact(uint256 assets, uint256 shares, address receiver) internal override {
        _unwrap(shares);
        uint256 target = IERC20(address(_steth)).balanceOf(receiver) + assets;
        uint256 need = Math.mulDiv(target, _steth.getTotalShares(), _steth.getTotalPooledEther(), Math.Rounding.Ceil)
            - _steth.sharesOf(receiver);
        _steth.transferShares(receiver, need);
    }

    function _exit(uint256 shares, address receiver) internal override returns (uint256 assets) {
        if (shares == 0) return 0;
        uint256 arrived = _unwrap(shares);
        uint256 before = IERC20(address(_steth)).balanceOf(receiver);
        _steth.transferShares(receiver, arrived);
        assets = IERC20(address(_steth)).balanceOf(receiver) - before;
    }

    /// @dev Unwraps `shares` wstETH and returns the stETH shares that arrived (`shares` or one less).
    function _unwrap(uint256 shares) internal returns (uint256 arrived) {
        uint256 before = _steth.sharesOf(address(this));
        _wsteth.unwrap(shares);
        arrived = _steth.sharesOf(address(this)) - before;
    }

    function _sharesUp(uint256 assets) internal view returns (uint256) {
        return Math.mulDiv(assets, _steth.getTotalShares(), _steth.getTotalPooledEther(), Math.Rounding.Ceil);
    }

    function _pooledUp(uint256 shares) internal view returns (uint256) {
        return Math.mulDiv(shares, _steth.getTotalPooledEther(), _steth.getTotalShares(), Math.Rounding.Ceil);
    }
}
