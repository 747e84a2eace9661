// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What the sUSDS adapter calls on Spark's PSM3 (Base: swaps between USDC, USDS and the
/// bridged sUSDS at the rate provider's conversion rate, rounding in the PSM's favour; USDC is held
/// by the PSM's `pocket`).
interface IPSM3 {
    function usdc() external view returns (address);
    function susds() external view returns (address);
    function pocket() external view returns (address);
    function rateProvider() external view returns (address);
    function previewSwapExactIn(address assetIn, address assetOut, uint256 amountIn)
        external
        view
        returns (uint256 amountOut);
    function previewSwapExactOut(address assetIn, address assetOut, uint256 amountOut)
        external
        view
        returns (uint256 amountIn);
    function swapExactIn(
        address assetIn,
        address assetOut,
        uint256 amountIn,
        uint256 minAmountOut,
        address receiver,
        uint256 referralCode
    ) external returns (uint256 amountOut);
    function swapExactOut(
        address assetIn,
        address assetOut,
        uint256 amountOut,
        uint256 maxAmountIn,
        address receiver,
        uint256 referralCode
    ) external returns (uint256 amountIn);
}

/// @notice Spark's rate provider: sUSDS value in USD, 1e27 precision.
interface IRateProvider {
    function getConversionRate() external view returns (uint256);
}
