// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MarketBase} from "./utils/MarketBase.sol";
import {IComputeMarket} from "../../src/interfaces/IComputeMarket.sol";
import {ComputeMarket} from "../../src/ComputeMarket.sol";
import {PaymentChannels} from "../../src/market/PaymentChannels.sol";
import {ProviderRegistry} from "../../src/market/ProviderRegistry.sol";

contract ChannelsTest is MarketBase {
    function test_Constructor_SetsTokenAndPeriod() public view {
        assertEq(market.token(), address(token));
        assertEq(market.challengePeriod(), PERIOD);
        assertEq(market.channelCount(), 0);
    }

    function test_RevertWhen_ChallengePeriodZero() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidChallengePeriod.selector, 0));
        new ComputeMarket(IERC20(address(token)), 0);
    }

    function test_RevertWhen_ChallengePeriodTooLong() public {
        uint64 p = market.MAX_CHALLENGE_PERIOD() + 1;
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidChallengePeriod.selector, p));
        new ComputeMarket(IERC20(address(token)), p);
    }

    function test_RevertWhen_TokenZero() public {
        vm.expectRevert(PaymentChannels.ComputeMarket_ZeroToken.selector);
        new ComputeMarket(IERC20(address(0)), PERIOD);
    }

    function test_VoucherDigest_MatchesEip712() public view {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("ComputeMarket"),
                keccak256("1"),
                block.chainid,
                address(market)
            )
        );
        bytes32 structHash = keccak256(abi.encode(keccak256("Voucher(uint256 channelId,uint256 authorized)"), 7, 42));
        assertEq(market.voucherDigest(7, 42), keccak256(abi.encodePacked("\x19\x01", domain, structHash)));
        assertEq(market.VOUCHER_TYPEHASH(), keccak256("Voucher(uint256 channelId,uint256 authorized)"));
    }

    function test_Open_EscrowsAndStores() public {
        vm.expectEmit(address(market));
        emit IComputeMarket.ChannelOpened(1, payer, provider, signer, 100e6);
        uint256 id = _open(100e6);
        assertEq(id, 1);
        assertEq(market.channelCount(), 1);
        IComputeMarket.Channel memory c = _channel(id);
        assertEq(c.payer, payer);
        assertEq(c.provider, provider);
        assertEq(c.signer, signer);
        assertEq(c.deposit, 100e6);
        assertEq(c.redeemed, 0);
        assertEq(c.closesAt, 0);
        assertFalse(c.closed);
        assertEq(token.balanceOf(address(market)), 100e6);
        assertEq(token.balanceOf(payer), FUNDS - 100e6);
        assertEq(_open(1), 2);
    }

    function testFuzz_Open(uint256 amount) public {
        amount = bound(amount, 1, FUNDS);
        uint256 id = _open(amount);
        assertEq(_channel(id).deposit, amount);
        assertEq(token.balanceOf(address(market)), amount);
    }

    function test_RevertWhen_OpenToInactiveProvider() public {
        address nobody = makeAddr("nobody");
        vm.expectRevert(abi.encodeWithSelector(ProviderRegistry.ComputeMarket_ProviderNotActive.selector, nobody));
        vm.prank(payer);
        market.open(nobody, signer, 1);

        vm.prank(provider);
        market.deregisterProvider();
        vm.expectRevert(abi.encodeWithSelector(ProviderRegistry.ComputeMarket_ProviderNotActive.selector, provider));
        vm.prank(payer);
        market.open(provider, signer, 1);
    }

    function test_RevertWhen_OpenWithZeroSigner() public {
        vm.expectRevert(PaymentChannels.ComputeMarket_ZeroSigner.selector);
        vm.prank(payer);
        market.open(provider, address(0), 1);
    }

    function test_RevertWhen_OpenWithZeroAmount() public {
        vm.expectRevert(PaymentChannels.ComputeMarket_ZeroAmount.selector);
        vm.prank(payer);
        market.open(provider, signer, 0);
    }

    function test_RevertWhen_OpenAboveMaxDeposit() public {
        uint256 max = market.MAX_DEPOSIT();
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_DepositTooLarge.selector, max + 1, max));
        vm.prank(payer);
        market.open(provider, signer, max + 1);
    }

    function test_Open_AtMaxDeposit() public {
        uint256 max = market.MAX_DEPOSIT();
        _fund(payer, max);
        uint256 id = _open(max);
        assertEq(_channel(id).deposit, max);
    }

    function test_TopUp_AddsDeposit() public {
        uint256 id = _open(100e6);
        vm.expectEmit(address(market));
        emit IComputeMarket.ChannelToppedUp(id, 50e6, 150e6);
        vm.prank(payer);
        market.topUp(id, 50e6);
        assertEq(_channel(id).deposit, 150e6);
        assertEq(token.balanceOf(address(market)), 150e6);
    }

    function testFuzz_TopUp(uint256 first, uint256 second) public {
        first = bound(first, 1, FUNDS / 2);
        second = bound(second, 1, FUNDS / 2);
        uint256 id = _open(first);
        vm.prank(payer);
        market.topUp(id, second);
        assertEq(_channel(id).deposit, first + second);
        assertEq(token.balanceOf(address(market)), first + second);
    }

    function test_TopUp_CancelsPendingClose() public {
        uint256 id = _open(100e6);
        vm.prank(payer);
        market.requestClose(id);
        vm.expectEmit(address(market));
        emit PaymentChannels.CloseCancelled(id);
        vm.prank(payer);
        market.topUp(id, 1);
        assertEq(_channel(id).closesAt, 0);
        vm.warp(block.timestamp + PERIOD + 1);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_CloseNotRequested.selector, id));
        market.finalize(id);
        _redeem(id, 10e6, 10e6); // still redeemable long after the old window
    }

    function test_RevertWhen_TopUpByNonPayer() public {
        uint256 id = _open(100e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_NotPayer.selector, id, provider));
        vm.prank(provider);
        market.topUp(id, 1);
    }

    function test_RevertWhen_TopUpUnknownChannel() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_UnknownChannel.selector, 9));
        vm.prank(payer);
        market.topUp(9, 1);
    }

    function test_RevertWhen_TopUpZero() public {
        uint256 id = _open(100e6);
        vm.expectRevert(PaymentChannels.ComputeMarket_ZeroAmount.selector);
        vm.prank(payer);
        market.topUp(id, 0);
    }

    function test_RevertWhen_TopUpAboveMaxDeposit() public {
        uint256 id = _open(100e6);
        uint256 max = market.MAX_DEPOSIT();
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.ComputeMarket_DepositTooLarge.selector, max + 100e6, max)
        );
        vm.prank(payer);
        market.topUp(id, max);
    }

    function test_RevertWhen_TopUpClosed() public {
        uint256 id = _open(100e6);
        vm.prank(provider);
        market.closeCooperatively(id, 0, 0, "");
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_AlreadyClosed.selector, id));
        vm.prank(payer);
        market.topUp(id, 1);
    }

    function test_GetChannel_UnknownIsZero() public view {
        IComputeMarket.Channel memory c = _channel(5);
        assertEq(c.payer, address(0));
        assertEq(c.deposit, 0);
    }
}
