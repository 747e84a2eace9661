// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IYieldVault} from "../../src/interfaces/IYieldVault.sol";
import {VaultTestBase} from "./utils/VaultTestBase.sol";

contract HarvestTest is VaultTestBase {
    function test_Harvest_SendsOnlyYield() public {
        _stake(alice, 1_000e6);
        vm.warp(block.timestamp + 365 days);
        uint256 pending = vault.pendingYield();
        assertApproxEqAbs(pending, 100e6, 1_001);

        vm.expectEmit(address(vault));
        emit IYieldVault.Harvested(carol, beneficiary, pending);
        vm.prank(carol);
        uint256 amount = vault.harvest();
        assertEq(amount, pending);
        assertEq(usdx.balanceOf(beneficiary), amount);
        assertEq(vault.totalHarvested(), amount);
        assertEq(vault.pendingYield(), 0);
        assertEq(vault.totalPrincipal(), 1_000e6);
        assertGe(vault.totalValue(), vault.totalPrincipal() + vault.ROUNDING_BUFFER());
    }

    function test_Harvest_TwiceInOneBlockSendsNothingMore() public {
        _stake(alice, 1_000e6);
        vm.warp(block.timestamp + 30 days);
        vault.harvest();
        assertEq(vault.harvest(), 0);
    }

    function test_Harvest_NothingStaked() public {
        assertEq(vault.harvest(), 0);
        assertEq(vault.totalHarvested(), 0);
    }

    function test_Harvest_YieldRealizedByStakesIsHarvested() public {
        _stake(alice, 1_000e6);
        vm.warp(block.timestamp + 100 days);
        uint256 pending = vault.pendingYield();
        _stake(bob, 1e6); // checkpoint realizes the yield into the vault
        assertEq(usdx.balanceOf(address(vault)), pending);
        assertEq(vault.pendingYield(), pending);
        assertEq(vault.harvest(), pending);
    }

    function testFuzz_Harvest_NeverTouchesPrincipal(uint256 a, uint256 b, uint256 dt1, uint256 dt2) public {
        a = bound(a, 1, 1e15);
        b = bound(b, 1, 1e15);
        dt1 = bound(dt1, 0, 2 * 365 days);
        dt2 = bound(dt2, LOCK, 2 * 365 days);
        _stake(alice, a);
        vm.warp(block.timestamp + dt1);
        uint256 h1 = vault.harvest();
        _stake(bob, b);
        vm.warp(block.timestamp + dt2);
        uint256 pending = vault.pendingYield();
        uint256 h2 = vault.harvest();
        assertEq(h2, pending);
        assertEq(vault.totalHarvested(), h1 + h2);
        assertEq(usdx.balanceOf(beneficiary), h1 + h2);
        assertGe(vault.totalValue(), vault.totalPrincipal());
        uint256 pa = vault.principalOf(alice);
        uint256 pb = vault.principalOf(bob);
        assertEq(_unstake(alice, pa), pa);
        assertEq(_unstake(bob, pb), pb);
    }
}
