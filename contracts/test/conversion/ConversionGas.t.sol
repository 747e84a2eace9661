// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ConversionFixture} from "./ConversionFixture.sol";

/// @dev Gas of the ETH path (warm pool, a year of yield on 200 ETH): read with `-vv`; the figures
/// belong to the README, not to an assertion.
contract ConversionGasTest is ConversionFixture {
    function test_GasOfHarvestAndConvert() public {
        _stakeEth(alice, 100 ether);
        _stakeEth(bob, 100 ether);
        _swap(makeAddr("trader"), address(weth), 0.01 ether); // the pool has traded before
        vm.warp(block.timestamp + 30 days);
        _refreshFeed();
        uint256 start = gasleft();
        vault.harvest();
        uint256 harvestGas = start - gasleft();
        start = gasleft();
        uint256 out = converter.convert();
        uint256 convertGas = start - gasleft();
        emit log_named_uint("harvest gas", harvestGas);
        emit log_named_uint("convert gas", convertGas);
        emit log_named_uint("USDx out", out);
        assertGt(out, 0);
        start = gasleft();
        _stakeEth(carol, 0.1 ether);
        emit log_named_uint("stake 0.1 ETH via gateway gas (incl. deal)", start - gasleft());
    }
}
