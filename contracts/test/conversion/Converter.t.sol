// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {YieldConverter} from "../../src/conversion/YieldConverter.sol";
import {AggregatorV3Interface} from "../../src/interfaces/AggregatorV3Interface.sol";
import {IUniswapV3PoolMinimal} from "../../src/interfaces/IUniswapV3Minimal.sol";
import {ConversionFixture} from "./ConversionFixture.sol";

/// @dev Harvest realizes WETH yield into the converter, which swaps it through the real Uniswap v3
/// pool into USDx for the TBA, within the oracle bound.
contract ConverterTest is ConversionFixture {
    function test_PoolIsSeededAtTheOraclePrice() public view {
        (uint256 oracleOut,, uint256 spotOut) = converter.quote(1 ether);
        assertEq(oracleOut, 3_000e6);
        assertApproxEqRel(spotOut, oracleOut, 1e12); // 0.0001%
    }

    function test_HarvestThenConvertPaysTheTbaInUsdx() public {
        _stakeEth(alice, 100 ether);
        vm.warp(block.timestamp + 365 days);
        uint256 harvested = vault.harvest();
        assertApproxEqRel(harvested, 3 ether, 1e15); // 3% of 100 ETH, within 0.1%
        assertEq(weth.balanceOf(address(converter)), harvested);

        _refreshFeed();
        uint256 out = converter.convert();
        assertEq(usdx.balanceOf(tba), out);
        assertEq(weth.balanceOf(address(converter)), 0);
        uint256 oracleOut = _oracleValue(harvested);
        assertGe(out, oracleOut * (10_000 - SLIPPAGE_BPS) / 10_000);
        assertLe(out, oracleOut); // fee and impact only ever lower it
        (uint256 totalIn, uint256 totalOut) = converter.totals();
        assertEq(totalIn, harvested);
        assertEq(totalOut, out);
    }

    function test_ConvertWithNothingIsANoop() public {
        assertEq(converter.convert(), 0);
    }

    function test_ConvertFollowsTheOracleAfterPriceSet() public {
        // The market moves: pool trades down to ~$2,900, and the treasury updates the feed.
        _swap(makeAddr("trader"), address(weth), 17 ether);
        (,, uint256 spot) = converter.quote(1 ether);
        vm.prank(owner);
        feed.setPrice(int256(spot * 100)); // 6 -> 8 decimals
        _wethTo(address(this), 1 ether);
        weth.transfer(address(converter), 1 ether);
        uint256 out = converter.convert();
        assertGe(out, spot * (10_000 - SLIPPAGE_BPS) / 10_000);
    }

    function test_RevertWhen_PoolDoesNotTradeThePair() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                YieldConverter.YieldConverter_PoolMismatch.selector, address(pool), address(weth), address(feed)
            )
        );
        new YieldConverter(
            IERC20(address(weth)), IERC20(address(feed)), router, pool, AggregatorV3Interface(address(feed)), tba, 100, 60, owner
        );
    }

    function test_RevertWhen_SlippageBoundOutOfRange() public {
        vm.expectRevert(abi.encodeWithSelector(YieldConverter.YieldConverter_SlippageOutOfRange.selector, 1_001, 1_000));
        vm.prank(owner);
        converter.setBounds(1_001, 60);
        vm.expectRevert(abi.encodeWithSelector(YieldConverter.YieldConverter_SlippageOutOfRange.selector, 0, 1_000));
        vm.prank(owner);
        converter.setBounds(0, 60);
    }

    function test_RevertWhen_NotOwnerSetsBounds() public {
        vm.expectRevert();
        vm.prank(alice);
        converter.setBounds(1_000, 1 days);
        (uint16 bps, uint32 age) = converter.bounds();
        assertEq(bps, SLIPPAGE_BPS);
        assertEq(age, ORACLE_AGE);
    }

    function test_RecipientIsFixed() public view {
        assertEq(converter.recipient(), tba);
        (address tokenIn, address tokenOut,, address poolAddress,) = converter.route();
        assertEq(tokenIn, address(weth));
        assertEq(tokenOut, address(usdx));
        assertEq(poolAddress, address(pool));
        assertEq(IUniswapV3PoolMinimal(poolAddress).fee(), FEE);
    }
}
