// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {Multicall3} from "../../src/x402/Multicall3.sol";
import {USDx} from "../../src/assets/USDx.sol";

/// @notice The Multicall3 subset the x402 facilitator and viem read through.
contract Multicall3Test is Test {
    function test_TryAggregate_ReportsEachOutcome() public {
        Multicall3 mc = new Multicall3();
        USDx usdx = new USDx(address(this));
        usdx.mint(address(0xB0B), 5e6);
        Multicall3.Call[] memory calls = new Multicall3.Call[](2);
        calls[0] = Multicall3.Call(address(usdx), abi.encodeCall(usdx.balanceOf, (address(0xB0B))));
        calls[1] = Multicall3.Call(address(usdx), abi.encodeCall(usdx.transferFrom, (address(0xB0B), address(1), 1)));
        Multicall3.Result[] memory results = mc.tryAggregate(false, calls);
        assertTrue(results[0].success);
        assertEq(abi.decode(results[0].returnData, (uint256)), 5e6);
        assertFalse(results[1].success);
        vm.expectRevert(abi.encodeWithSelector(Multicall3.Multicall3_CallFailed.selector, 1));
        mc.tryAggregate(true, calls);
    }
}
