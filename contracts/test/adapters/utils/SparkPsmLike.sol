// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @dev Base's bridged sUSDS: a plain ERC-20 (no ERC-4626), minted by the bridge.
contract BridgedSUSDSLike is ERC20 {
    constructor() ERC20("Savings USDS (bridged, local)", "sUSDS") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}

/// @dev Spark's cross-chain savings rate oracle, reduced: `chi` (1e27) at `rho`, growing at `ssr`
/// per second (linear between reports here; the real one compounds); the bridge pushes reports.
contract RateProviderLike {
    uint256 public chi = 1e27;
    uint256 public rho;
    uint256 public ratePerSecond; // 1e27-scaled growth of chi per second

    constructor(uint256 aprBps) {
        rho = block.timestamp;
        ratePerSecond = 1e27 * aprBps / 10_000 / 365 days;
    }

    /// @dev A report from mainnet: the rate as of now.
    function report(uint256 chi_) external {
        chi = chi_;
        rho = block.timestamp;
    }

    function getConversionRate() public view returns (uint256) {
        return chi + chi * ratePerSecond * (block.timestamp - rho) / 1e27;
    }
}

/// @dev Spark PSM3's swap arithmetic, reproduced for USDC (6 decimals) <-> sUSDS (18): out rounds
/// down, in rounds up, both through the rate provider's 1e27 conversion rate; no fees. USDC sits in
/// the pocket (here the PSM itself), sUSDS in the PSM; a swap needs the side it pays out to hold
/// enough, else the token transfer reverts.
contract PSM3Like {
    error PSM3Like_AmountOutTooLow(uint256 amountOut, uint256 minAmountOut);
    error PSM3Like_AmountInTooHigh(uint256 amountIn, uint256 maxAmountIn);
    error PSM3Like_InvalidAsset(address asset);

    address public immutable usdc;
    address public immutable susds;
    address public immutable rateProvider;
    uint256 private constant _USDC_PRECISION = 1e6;
    uint256 private constant _SUSDS_PRECISION = 1e18;

    constructor(address usdc_, address susds_, address rateProvider_) {
        usdc = usdc_;
        susds = susds_;
        rateProvider = rateProvider_;
    }

    function pocket() external view returns (address) {
        return address(this);
    }

    function previewSwapExactIn(address assetIn, address assetOut, uint256 amountIn) public view returns (uint256) {
        _pair(assetIn, assetOut);
        uint256 rate = RateProviderLike(rateProvider).getConversionRate();
        if (assetIn == usdc) return amountIn * 1e27 / rate * _SUSDS_PRECISION / _USDC_PRECISION;
        return amountIn * rate / 1e27 * _USDC_PRECISION / _SUSDS_PRECISION;
    }

    function previewSwapExactOut(address assetIn, address assetOut, uint256 amountOut) public view returns (uint256) {
        _pair(assetIn, assetOut);
        uint256 rate = RateProviderLike(rateProvider).getConversionRate();
        if (assetIn == usdc) {
            // USDC needed for amountOut sUSDS
            return Math.ceilDiv(Math.ceilDiv(amountOut * rate, 1e27) * _USDC_PRECISION, _SUSDS_PRECISION);
        }
        // sUSDS needed for amountOut USDC
        return Math.ceilDiv(Math.ceilDiv(amountOut * 1e27, rate) * _SUSDS_PRECISION, _USDC_PRECISION);
    }

    function swapExactIn(address assetIn, address assetOut, uint256 amountIn, uint256 minAmountOut, address receiver, uint256)
        external
        returns (uint256 amountOut)
    {
        amountOut = previewSwapExactIn(assetIn, assetOut, amountIn);
        if (amountOut < minAmountOut) revert PSM3Like_AmountOutTooLow(amountOut, minAmountOut);
        IERC20(assetIn).transferFrom(msg.sender, address(this), amountIn);
        IERC20(assetOut).transfer(receiver, amountOut);
    }

    function swapExactOut(address assetIn, address assetOut, uint256 amountOut, uint256 maxAmountIn, address receiver, uint256)
        external
        returns (uint256 amountIn)
    {
        amountIn = previewSwapExactOut(assetIn, assetOut, amountOut);
        if (amountIn > maxAmountIn) revert PSM3Like_AmountInTooHigh(amountIn, maxAmountIn);
        IERC20(assetIn).transferFrom(msg.sender, address(this), amountIn);
        IERC20(assetOut).transfer(receiver, amountOut);
    }

    function _pair(address assetIn, address assetOut) internal view {
        if (!((assetIn == usdc && assetOut == susds) || (assetIn == susds && assetOut == usdc))) {
            revert PSM3Like_InvalidAsset(assetIn == usdc || assetIn == susds ? assetOut : assetIn);
        }
    }
}
