// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {YieldVault} from "../../src/YieldVault.sol";
import {StakedEther} from "../../src/assets/StakedEther.sol";
import {EthStakeGateway} from "../../src/conversion/EthStakeGateway.sol";
import {IYieldVault} from "../../src/interfaces/IYieldVault.sol";
import {ConversionFixture} from "../conversion/ConversionFixture.sol";

/// @dev The ETH vault is the same YieldVault over WETH and the wstETH-like source: ETH in through
/// the gateway (or WETH directly), exact principal back, lock, loss pro rata, votes from principal,
/// compute balance per staker (in WETH, converted for the TBA by the converter).
contract EthVaultTest is ConversionFixture {
    function _stakeWeth(address who, uint256 amount) internal {
        _wethTo(who, amount);
        vm.startPrank(who);
        weth.approve(address(vault), amount);
        vault.stake(amount);
        vm.stopPrank();
    }

    function _unstake(address who, uint256 principal) internal returns (uint256 received) {
        uint256 before = weth.balanceOf(who);
        vm.prank(who);
        vault.unstake(principal);
        received = weth.balanceOf(who) - before;
    }

    function test_StakeEthWrapsAndStakesForTheSender() public {
        _stakeEth(alice, 0.1 ether);
        assertEq(vault.principalOf(alice), 0.1 ether);
        assertEq(vault.totalPrincipal(), 0.1 ether);
        assertEq(vault.unlocksAt(alice), block.timestamp + LOCK);
        assertEq(vault.getVotes(alice), 0.1 ether);
        assertEq(vault.delegates(alice), alice);
        assertEq(address(gateway).balance, 0);
        assertEq(weth.balanceOf(address(gateway)), 0);
    }

    function test_StakeEthForAnother() public {
        vm.deal(bob, 1 ether);
        vm.prank(bob);
        gateway.stakeFor{value: 1 ether}(alice);
        assertEq(vault.principalOf(alice), 1 ether);
        assertEq(vault.principalOf(bob), 0);
        assertEq(vault.getVotes(alice), 1 ether);
    }

    function test_StakeWethDirectly() public {
        _stakeWeth(bob, 2 ether);
        assertEq(vault.principalOf(bob), 2 ether);
        assertEq(vault.getVotes(bob), 2 ether);
    }

    function test_RevertWhen_StakingZeroEth() public {
        vm.expectRevert(EthStakeGateway.EthStakeGateway_ZeroAmount.selector);
        gateway.stake{value: 0}();
    }

    function test_RevertWhen_GatewayVaultIsNotWeth() public {
        vm.expectRevert(
            abi.encodeWithSelector(EthStakeGateway.EthStakeGateway_AssetMismatch.selector, address(usdx), address(weth))
        );
        new EthStakeGateway(address(usdx), vault);
    }

    function test_RevertWhen_UnstakingLocked() public {
        _stakeEth(alice, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(YieldVault.YieldVault_Locked.selector, alice, block.timestamp + LOCK));
        vm.prank(alice);
        vault.unstake(1 ether);
    }

    function test_ExactPrincipalBackAfterAYearAndUnwrap() public {
        _stakeEth(alice, 0.1 ether);
        _stakeEth(bob, 0.3 ether);
        vm.warp(block.timestamp + 365 days);
        vault.harvest();
        assertEq(_unstake(alice, 0.1 ether), 0.1 ether);
        assertEq(_unstake(bob, 0.3 ether), 0.3 ether);
        vm.prank(alice);
        weth.withdraw(0.1 ether);
        assertEq(alice.balance, 0.1 ether);
        assertEq(vault.totalPrincipal(), 0);
        assertEq(vault.getVotes(alice), 0);
    }

    function test_ComputeBalanceIsPerStakerInWeth() public {
        _stakeEth(alice, 1 ether);
        _stakeEth(bob, 3 ether);
        vm.warp(block.timestamp + 365 days);
        uint256 harvested = vault.harvest();
        uint256 a = vault.computeBalanceOf(alice);
        uint256 b = vault.computeBalanceOf(bob);
        assertApproxEqAbs(a * 3, b, 3);
        assertLe(a + b, harvested);
        assertApproxEqAbs(a + b, harvested, 2);
        assertApproxEqRel(harvested, 0.12 ether, 1e15); // 3% of 4 ETH
    }

    function test_LossIsSharedProRata() public {
        _stakeEth(alice, 1 ether);
        _stakeEth(bob, 3 ether);
        vm.startPrank(owner);
        steth.setApr(0);
        steth.simulateLoss(0.4 ether); // 10%
        vm.stopPrank();
        vm.warp(block.timestamp + LOCK);
        uint256 a = _unstake(alice, 1 ether);
        uint256 b = _unstake(bob, 3 ether);
        assertApproxEqAbs(a, 0.9 ether, 1e3);
        assertApproxEqAbs(b, 2.7 ether, 1e3);
        assertLe(a, 1 ether);
        assertLe(b, 3 ether);
    }

    function test_RewardsStopWhenTheReserveRunsDry() public {
        StakedEther dry = new StakedEther(IERC20(address(weth)), 1_000, owner);
        YieldVault v = new YieldVault(IERC20(address(weth)), IERC4626(address(dry)), address(converter), LOCK);
        _wethTo(owner, 0.05 ether);
        vm.startPrank(owner);
        weth.approve(address(dry), 0.05 ether);
        dry.fundRewards(0.05 ether);
        vm.stopPrank();
        _wethTo(alice, 1 ether);
        vm.startPrank(alice);
        weth.approve(address(v), 1 ether);
        v.stake(1 ether);
        vm.stopPrank();
        vm.warp(block.timestamp + 365 days); // 0.1 ETH due, 0.05 in the reserve
        assertEq(v.harvest(), 0.05 ether - v.ROUNDING_BUFFER() - 1);
        assertEq(dry.rewardReserve(), 0);
        vm.warp(block.timestamp + 365 days);
        assertEq(v.pendingYield(), 0);
        uint256 before = weth.balanceOf(alice);
        vm.prank(alice);
        v.unstake(1 ether);
        assertEq(weth.balanceOf(alice) - before, 1 ether);
    }

    /// @dev Many stakers, odd amounts, yield, harvests: everyone leaves with exactly their stake.
    function testFuzz_EveryLeaverGetsExactlyTheirStake(uint96[6] memory amounts, uint32 dt, uint8 harvests) public {
        address[6] memory who;
        uint256[6] memory staked;
        for (uint256 i; i < 6; ++i) {
            who[i] = address(uint160(0xA000 + i));
            staked[i] = bound(amounts[i], 1, 1_000 ether);
            _stakeEth(who[i], staked[i]);
        }
        uint256 steps = bound(harvests, 1, 5);
        for (uint256 s; s < steps; ++s) {
            vm.warp(block.timestamp + bound(dt, LOCK, 400 days) / steps);
            vault.harvest();
        }
        vm.warp(block.timestamp + LOCK);
        for (uint256 i; i < 6; ++i) {
            assertEq(_unstake(who[i], staked[i]), staked[i], "principal not returned exactly");
        }
        assertEq(vault.totalPrincipal(), 0);
    }
}
