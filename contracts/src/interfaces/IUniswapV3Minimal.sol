// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IUniswapV3PoolMinimal
/// @notice The part of Uniswap v3's `IUniswapV3Pool` the converter reads (its npm interfaces pin
/// solidity 0.7, so the few functions are restated here with the same selectors).
interface IUniswapV3PoolMinimal {
    function token0() external view returns (address);
    function token1() external view returns (address);
    function fee() external view returns (uint24);
    function slot0()
        external
        view
        returns (
            uint160 sqrtPriceX96,
            int24 tick,
            uint16 observationIndex,
            uint16 observationCardinality,
            uint16 observationCardinalityNext,
            uint8 feeProtocol,
            bool unlocked
        );
}

/// @title ISwapRouterMinimal
/// @notice `exactInputSingle` of Uniswap v3 periphery's `ISwapRouter` (SwapRouter, not SwapRouter02:
/// its params carry a `deadline`).
interface ISwapRouterMinimal {
    struct ExactInputSingleParams {
        address tokenIn;
        address tokenOut;
        uint24 fee;
        address recipient;
        uint256 deadline;
        uint256 amountIn;
        uint256 amountOutMinimum;
        uint160 sqrtPriceLimitX96;
    }

    function exactInputSingle(ExactInputSingleParams calldata params) external payable returns (uint256 amountOut);
}
