// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {USDx} from "../../src/assets/USDx.sol";
import {SUSDx} from "../../src/assets/SUSDx.sol";
import {YieldVault} from "../../src/YieldVault.sol";
import {YieldVaultHandler} from "./utils/YieldVaultHandler.sol";

/// @dev Shared set-up and the invariants that hold with or without source losses.
abstract contract YieldVaultInvariantBase is Test {
    address internal owner = makeAddr("owner");
    address internal beneficiary = makeAddr("beneficiary");
    USDx internal usdx;
    SUSDx internal susdx;
    YieldVault internal vault;
    YieldVaultHandler internal handler;

    function _withLosses() internal pure virtual returns (bool);

    function setUp() public {
        vm.warp(1_700_000_000);
        usdx = new USDx(owner);
        susdx = new SUSDx(IERC20(address(usdx)), 2_000, owner);
        vm.prank(owner);
        usdx.setMinter(address(susdx), true);
        vault = new YieldVault(IERC20(address(usdx)), IERC4626(address(susdx)), beneficiary, 1 days);
        handler = new YieldVaultHandler(usdx, susdx, vault, owner, _withLosses());
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](_withLosses() ? 10 : 8);
        selectors[0] = YieldVaultHandler.stake.selector;
        selectors[1] = YieldVaultHandler.stakeFor.selector;
        selectors[2] = YieldVaultHandler.unstake.selector;
        selectors[3] = YieldVaultHandler.harvest.selector;
        selectors[4] = YieldVaultHandler.warp.selector;
        selectors[5] = YieldVaultHandler.donateAsset.selector;
        selectors[6] = YieldVaultHandler.donateShares.selector;
        selectors[7] = YieldVaultHandler.unstakeWithdrawable.selector;
        if (_withLosses()) {
            selectors[8] = YieldVaultHandler.loss.selector;
            selectors[9] = YieldVaultHandler.setApr.selector;
        }
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    function _sumCompute() internal view returns (uint256 sum) {
        address[] memory actors = handler.actors();
        for (uint256 i; i < actors.length; ++i) {
            sum += vault.computeBalanceOf(actors[i]);
        }
    }

    function invariant_TotalPrincipalIsSumOfPrincipals() public view {
        address[] memory actors = handler.actors();
        uint256 sum;
        uint256 count;
        for (uint256 i; i < actors.length; ++i) {
            uint256 p = vault.principalOf(actors[i]);
            sum += p;
            if (p != 0) ++count;
        }
        assertEq(vault.totalPrincipal(), sum, "totalPrincipal");
        assertEq(vault.totalPrincipal(), handler.ghostPrincipalIn() - handler.ghostPrincipalOut(), "ghost");
        assertEq(vault.stakerCount(), count, "stakerCount");
    }

    function invariant_OnlyHarvestPaysTheBeneficiary() public view {
        assertEq(usdx.balanceOf(beneficiary), vault.totalHarvested());
    }

    function invariant_AttributedNeverExceedsRealizedYield() public view {
        assertLe(_sumCompute(), vault.totalHarvested() + vault.pendingYield());
    }

    function invariant_UnstakesAreFair() public view {
        assertEq(handler.ghostUnfairUnstakes(), 0);
    }

    /// @dev No stake (own or anyone's `stakeFor`) lowers a staker's withdrawable principal, moves a pending unlock
    /// earlier or beyond a full lock from now; withdrawable principal can always be unstaked at once.
    function invariant_StakesNeverRelockWithdrawable() public view {
        assertEq(handler.ghostLockViolations(), 0);
    }
}

/// @notice The source never loses: principal is always fully withdrawable.
contract YieldVaultInvariants is YieldVaultInvariantBase {
    function _withLosses() internal pure override returns (bool) {
        return false;
    }

    function invariant_SolventWithoutLoss() public view {
        assertGe(vault.totalValue(), vault.totalPrincipal());
    }

    /// @dev Everything that left or is about to leave for the beneficiary was earned (interest
    /// measured over warps, plus donations), within a wei of rounding per call.
    function invariant_HarvestedNeverExceedsRealizedYield() public view {
        assertLe(vault.totalHarvested() + vault.pendingYield(), handler.ghostEarned() + handler.ghostCalls());
        assertLe(vault.totalHarvested(), handler.ghostEarned() + handler.ghostCalls());
    }

    function invariant_UnstakedAssetsEqualPrincipal() public view {
        assertEq(handler.ghostAssetsReturned(), handler.ghostPrincipalOut());
    }

    /// @dev Principal is always withdrawable: unstake every staker, each must get it exactly.
    function afterInvariant() public {
        handler.unstakeEveryone();
        assertEq(vault.totalPrincipal(), 0);
        assertEq(vault.stakerCount(), 0);
        assertEq(handler.ghostUnfairUnstakes(), 0, "a staker did not get their principal");
        assertEq(handler.ghostAssetsReturned(), handler.ghostPrincipalOut());
        vault.harvest();
        assertLe(_sumCompute(), vault.totalHarvested());
    }
}
