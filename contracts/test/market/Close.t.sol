// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketBase} from "./utils/MarketBase.sol";
import {IComputeMarket} from "../../src/interfaces/IComputeMarket.sol";
import {PaymentChannels} from "../../src/market/PaymentChannels.sol";

contract CloseTest is MarketBase {
    uint256 internal id;

    function setUp() public override {
        super.setUp();
        id = _open(100e6);
    }

    function test_RequestClose_SetsWindow() public {
        uint64 expected = uint64(block.timestamp) + PERIOD;
        vm.expectEmit(address(market));
        emit IComputeMarket.CloseRequested(id, expected);
        vm.prank(payer);
        market.requestClose(id);
        assertEq(_channel(id).closesAt, expected);
    }

    function test_Finalize_RefundsRest() public {
        _redeem(id, 30e6, 40e6);
        vm.prank(payer);
        market.requestClose(id);
        vm.warp(block.timestamp + PERIOD + 1);
        vm.expectEmit(address(market));
        emit IComputeMarket.ChannelClosed(id, 70e6, 30e6);
        vm.prank(makeAddr("anyone"));
        market.finalize(id);
        assertTrue(_channel(id).closed);
        assertEq(token.balanceOf(payer), FUNDS - 30e6);
        assertEq(token.balanceOf(provider), 30e6);
        assertEq(token.balanceOf(address(market)), 0);
    }

    function test_Finalize_NothingToRefund() public {
        _redeem(id, 100e6, 100e6);
        vm.prank(payer);
        market.requestClose(id);
        vm.warp(block.timestamp + PERIOD + 1);
        market.finalize(id);
        assertTrue(_channel(id).closed);
        assertEq(token.balanceOf(payer), FUNDS - 100e6);
    }

    function testFuzz_Finalize(uint256 redeemed, uint256 wait) public {
        redeemed = bound(redeemed, 0, 100e6);
        wait = bound(wait, 0, 3 * uint256(PERIOD));
        if (redeemed != 0) _redeem(id, redeemed, redeemed);
        vm.prank(payer);
        market.requestClose(id);
        uint64 closesAt = _channel(id).closesAt;
        vm.warp(block.timestamp + wait);
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp <= closesAt) {
            vm.expectRevert(
                abi.encodeWithSelector(PaymentChannels.ComputeMarket_ChallengeWindowOpen.selector, id, closesAt)
            );
            market.finalize(id);
            return;
        }
        market.finalize(id);
        assertEq(token.balanceOf(payer) + token.balanceOf(provider), FUNDS);
        assertEq(token.balanceOf(provider), redeemed);
    }

    function test_CloseCooperatively_RedeemsThenRefunds() public {
        _redeem(id, 10e6, 10e6);
        bytes memory sig = _sign(signerPk, id, 60e6);
        vm.expectEmit(address(market));
        emit IComputeMarket.Redeemed(id, provider, 50e6, 60e6);
        vm.expectEmit(address(market));
        emit IComputeMarket.ChannelClosed(id, 40e6, 60e6);
        vm.prank(provider);
        market.closeCooperatively(id, 60e6, 60e6, sig);
        assertTrue(_channel(id).closed);
        assertEq(token.balanceOf(provider), 60e6);
        assertEq(token.balanceOf(payer), FUNDS - 60e6);
        assertEq(token.balanceOf(address(market)), 0);
    }

    function test_CloseCooperatively_NothingMore() public {
        _redeem(id, 10e6, 10e6);
        vm.prank(provider);
        market.closeCooperatively(id, 0, 0, "");
        assertEq(token.balanceOf(provider), 10e6);
        assertEq(token.balanceOf(payer), FUNDS - 10e6);
    }

    function test_CloseCooperatively_DuringPendingClose() public {
        vm.prank(payer);
        market.requestClose(id);
        bytes memory sig = _sign(signerPk, id, 5e6);
        vm.prank(provider);
        market.closeCooperatively(id, 5e6, 5e6, sig);
        assertEq(token.balanceOf(provider), 5e6);
        assertEq(token.balanceOf(payer), FUNDS - 5e6);
    }

    function testFuzz_CloseCooperatively(uint256 amount) public {
        amount = bound(amount, 0, 100e6);
        bytes memory sig = amount == 0 ? bytes("") : _sign(signerPk, id, amount);
        vm.prank(provider);
        market.closeCooperatively(id, amount, amount, sig);
        assertEq(token.balanceOf(provider), amount);
        assertEq(token.balanceOf(payer), FUNDS - amount);
    }

    function test_RevertWhen_CloseCooperativelyByNonProvider() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_NotProvider.selector, id, payer));
        vm.prank(payer);
        market.closeCooperatively(id, 0, 0, "");
    }

    function test_RevertWhen_CloseCooperativelyUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_UnknownChannel.selector, 77));
        vm.prank(provider);
        market.closeCooperatively(77, 0, 0, "");
    }

    function test_RevertWhen_CloseCooperativelyTwice() public {
        vm.prank(provider);
        market.closeCooperatively(id, 0, 0, "");
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_AlreadyClosed.selector, id));
        vm.prank(provider);
        market.closeCooperatively(id, 0, 0, "");
    }

    function test_RevertWhen_CloseCooperativelyWithBadVoucher() public {
        bytes memory sig = _sign(signerPk, id, 5e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, id));
        vm.prank(provider);
        market.closeCooperatively(id, 6e6, 6e6, sig);
    }

    function test_RevertWhen_RequestCloseByNonPayer() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_NotPayer.selector, id, provider));
        vm.prank(provider);
        market.requestClose(id);
    }

    function test_RevertWhen_RequestCloseTwice() public {
        vm.prank(payer);
        market.requestClose(id);
        uint64 closesAt = _channel(id).closesAt;
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.ComputeMarket_CloseAlreadyRequested.selector, id, closesAt)
        );
        vm.prank(payer);
        market.requestClose(id);
    }

    function test_RevertWhen_RequestCloseClosed() public {
        vm.prank(provider);
        market.closeCooperatively(id, 0, 0, "");
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_AlreadyClosed.selector, id));
        vm.prank(payer);
        market.requestClose(id);
    }

    function test_RevertWhen_FinalizeNotRequested() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_CloseNotRequested.selector, id));
        market.finalize(id);
    }

    function test_RevertWhen_FinalizeDuringWindow() public {
        vm.prank(payer);
        market.requestClose(id);
        uint64 closesAt = _channel(id).closesAt;
        vm.warp(closesAt);
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.ComputeMarket_ChallengeWindowOpen.selector, id, closesAt)
        );
        market.finalize(id);
    }

    function test_RevertWhen_FinalizeTwice() public {
        vm.prank(payer);
        market.requestClose(id);
        vm.warp(block.timestamp + PERIOD + 1);
        market.finalize(id);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_AlreadyClosed.selector, id));
        market.finalize(id);
    }

    function test_RevertWhen_FinalizeUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_UnknownChannel.selector, 42));
        market.finalize(42);
    }
}
