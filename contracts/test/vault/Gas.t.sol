// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/console.sol";
import {VaultTestBase} from "./utils/VaultTestBase.sol";

/// @notice Gas of the hot paths, each measured as its own transaction (storage cooled first),
/// execution only (add 21,000 + calldata for a transaction). Run with `-vv` to read them.
contract GasTest is VaultTestBase {
    function _cool() internal {
        vm.cool(address(vault));
        vm.cool(address(susdx));
        vm.cool(address(usdx));
    }

    function _gas() internal view returns (uint256) {
        return vm.lastCallGas().gasTotalUsed;
    }

    function test_Gas_HotPaths() public {
        _fund(alice, 2_000e6);
        _fund(bob, 2_000e6);

        _cool();
        vm.prank(alice);
        vault.stake(1_000e6);
        console.log("stake, first staker, no yield:", _gas());

        vm.warp(block.timestamp + 1 days);
        _cool();
        vm.prank(bob);
        vault.stake(1_000e6);
        console.log("stake, new staker, realizes yield:", _gas());

        vm.warp(block.timestamp + 1 days);
        _cool();
        vm.prank(alice);
        vault.stake(1_000e6);
        console.log("stake, top-up, realizes yield:", _gas());

        vm.warp(block.timestamp + 1 days);
        _cool();
        vault.harvest();
        console.log("harvest, realizes and sends yield:", _gas());

        vm.warp(block.timestamp + LOCK);
        _cool();
        vm.prank(bob);
        vault.unstake(400e6);
        console.log("unstake, partial, realizes yield:", _gas());

        _cool();
        vm.prank(bob);
        vault.unstake(600e6);
        console.log("unstake, full, same block:", _gas());
    }
}
