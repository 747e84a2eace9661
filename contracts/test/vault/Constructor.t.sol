// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {YieldVault} from "../../src/YieldVault.sol";
import {USDx} from "../../src/assets/USDx.sol";
import {VaultTestBase} from "./utils/VaultTestBase.sol";

contract ConstructorTest is VaultTestBase {
    function test_StoresArguments() public view {
        assertEq(vault.asset(), address(usdx));
        assertEq(vault.source(), address(susdx));
        assertEq(vault.beneficiary(), beneficiary);
        assertEq(vault.lockPeriod(), LOCK);
        assertEq(vault.totalPrincipal(), 0);
        assertEq(vault.totalValue(), 0);
        assertEq(vault.pendingYield(), 0);
        assertEq(vault.stakerCount(), 0);
        assertEq(usdx.allowance(address(vault), address(susdx)), type(uint256).max);
    }

    function test_RevertWhen_ZeroAddress() public {
        IERC20 a = IERC20(address(usdx));
        IERC4626 s = IERC4626(address(susdx));
        vm.expectRevert(YieldVault.YieldVault_ZeroAddress.selector);
        new YieldVault(IERC20(address(0)), s, beneficiary, LOCK);
        vm.expectRevert(YieldVault.YieldVault_ZeroAddress.selector);
        new YieldVault(a, IERC4626(address(0)), beneficiary, LOCK);
        vm.expectRevert(YieldVault.YieldVault_ZeroAddress.selector);
        new YieldVault(a, s, address(0), LOCK);
    }

    function test_RevertWhen_AssetMismatch() public {
        USDx other = new USDx(owner);
        vm.expectRevert(
            abi.encodeWithSelector(YieldVault.YieldVault_AssetMismatch.selector, address(other), address(usdx))
        );
        new YieldVault(IERC20(address(other)), IERC4626(address(susdx)), beneficiary, LOCK);
    }

    function test_RevertWhen_LockPeriodTooLong() public {
        vm.expectRevert(
            abi.encodeWithSelector(YieldVault.YieldVault_LockPeriodTooLong.selector, uint64(730 days + 1), 730 days)
        );
        new YieldVault(IERC20(address(usdx)), IERC4626(address(susdx)), beneficiary, 730 days + 1);
    }
}
