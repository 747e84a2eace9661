// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MarketBase} from "./utils/MarketBase.sol";
import {IComputeMarket} from "../../src/interfaces/IComputeMarket.sol";
import {PaymentChannels} from "../../src/market/PaymentChannels.sol";

contract RedeemManyTest is MarketBase {
    uint256[] internal ids;

    function setUp() public override {
        super.setUp();
        for (uint256 i; i < 3; ++i) {
            ids.push(_open(100e6));
        }
    }

    function _entry(uint256 id, uint256 amount, uint256 authorized)
        internal
        view
        returns (IComputeMarket.Redemption memory)
    {
        return IComputeMarket.Redemption(id, amount, authorized, _sign(signerPk, id, authorized));
    }

    function _redeemMany(IComputeMarket.Redemption[] memory rs) internal {
        vm.prank(provider);
        market.redeemMany(rs);
    }

    function test_RedeemMany_PaysAllInOneTransfer() public {
        IComputeMarket.Redemption[] memory rs = new IComputeMarket.Redemption[](3);
        rs[0] = _entry(ids[0], 10e6, 10e6);
        rs[1] = _entry(ids[1], 20e6, 25e6);
        rs[2] = _entry(ids[2], 30e6, 30e6);
        vm.expectEmit(address(market));
        emit IComputeMarket.Redeemed(ids[0], provider, 10e6, 10e6);
        vm.expectEmit(address(market));
        emit IComputeMarket.Redeemed(ids[1], provider, 20e6, 20e6);
        vm.expectEmit(address(market));
        emit IComputeMarket.Redeemed(ids[2], provider, 30e6, 30e6);
        vm.expectCall(address(token), abi.encodeCall(token.transfer, (provider, 60e6)), 1);
        _redeemMany(rs);
        assertEq(token.balanceOf(provider), 60e6);
        assertEq(_channel(ids[1]).redeemed, 20e6);
    }

    function test_RedeemMany_SkipsBadEntriesAndPaysGoodOnes() public {
        _redeem(ids[1], 50e6, 50e6);
        address stranger = makeAddr("stranger");
        _register(stranger);
        vm.prank(payer);
        uint256 foreign = market.open(stranger, signer, 10e6);
        (, uint256 otherPk) = makeAddrAndKey("other");

        IComputeMarket.Redemption[] memory rs = new IComputeMarket.Redemption[](7);
        rs[0] = _entry(ids[0], 10e6, 10e6); // good
        rs[1] = _entry(ids[1], 40e6, 50e6); // stale
        rs[2] = _entry(foreign, 1e6, 1e6); // not this provider's channel
        rs[3] = IComputeMarket.Redemption(ids[2], 5e6, 5e6, _sign(otherPk, ids[2], 5e6)); // wrong signer
        rs[4] = _entry(ids[2], 6e6, 5e6); // amount above authorized
        rs[5] = _entry(ids[2], 1e6, 101e6); // authorized above deposit
        rs[6] = _entry(999, 1, 1); // unknown channel

        vm.expectEmit(address(market));
        emit IComputeMarket.Redeemed(ids[0], provider, 10e6, 10e6);
        vm.expectEmit(address(market));
        emit PaymentChannels.RedemptionSkipped(ids[1], PaymentChannels.ComputeMarket_StaleAmount.selector);
        vm.expectEmit(address(market));
        emit PaymentChannels.RedemptionSkipped(foreign, PaymentChannels.ComputeMarket_NotProvider.selector);
        vm.expectEmit(address(market));
        emit PaymentChannels.RedemptionSkipped(ids[2], PaymentChannels.ComputeMarket_InvalidSignature.selector);
        vm.expectEmit(address(market));
        emit PaymentChannels.RedemptionSkipped(ids[2], PaymentChannels.ComputeMarket_AmountAboveAuthorized.selector);
        vm.expectEmit(address(market));
        emit PaymentChannels.RedemptionSkipped(ids[2], PaymentChannels.ComputeMarket_AuthorizedAboveDeposit.selector);
        vm.expectEmit(address(market));
        emit PaymentChannels.RedemptionSkipped(999, PaymentChannels.ComputeMarket_UnknownChannel.selector);
        _redeemMany(rs);

        assertEq(token.balanceOf(provider), 60e6);
        assertEq(_channel(ids[1]).redeemed, 50e6);
        assertEq(_channel(ids[2]).redeemed, 0);
        assertEq(_channel(foreign).redeemed, 0);
    }

    function test_RedeemMany_SkipsClosedAndExpired() public {
        vm.prank(provider);
        market.closeCooperatively(ids[0], 0, 0, "");
        vm.prank(payer);
        market.requestClose(ids[1]);
        vm.warp(block.timestamp + PERIOD + 1);

        IComputeMarket.Redemption[] memory rs = new IComputeMarket.Redemption[](3);
        rs[0] = _entry(ids[0], 1e6, 1e6);
        rs[1] = _entry(ids[1], 1e6, 1e6);
        rs[2] = _entry(ids[2], 1e6, 1e6);
        vm.expectEmit(address(market));
        emit PaymentChannels.RedemptionSkipped(ids[0], PaymentChannels.ComputeMarket_AlreadyClosed.selector);
        vm.expectEmit(address(market));
        emit PaymentChannels.RedemptionSkipped(ids[1], PaymentChannels.ComputeMarket_ChallengeWindowOver.selector);
        _redeemMany(rs);
        assertEq(token.balanceOf(provider), 1e6);
    }

    function test_RedeemMany_SameChannelTwiceInOrder() public {
        IComputeMarket.Redemption[] memory rs = new IComputeMarket.Redemption[](3);
        rs[0] = _entry(ids[0], 10e6, 10e6);
        rs[1] = _entry(ids[0], 25e6, 30e6);
        rs[2] = _entry(ids[0], 25e6, 30e6); // replay inside the batch: skipped
        _redeemMany(rs);
        assertEq(token.balanceOf(provider), 25e6);
        assertEq(_channel(ids[0]).redeemed, 25e6);
    }

    function test_RedeemMany_AllInvalidTransfersNothing() public {
        IComputeMarket.Redemption[] memory rs = new IComputeMarket.Redemption[](1);
        rs[0] = _entry(ids[0], 0, 10e6);
        vm.expectCall(address(token), abi.encodeWithSelector(token.transfer.selector), 0);
        _redeemMany(rs);
        assertEq(token.balanceOf(provider), 0);
    }

    function test_RedeemMany_Empty() public {
        _redeemMany(new IComputeMarket.Redemption[](0));
        assertEq(token.balanceOf(provider), 0);
    }

    function testFuzz_RedeemMany(uint256[3] memory amounts, uint256[3] memory extra) public {
        IComputeMarket.Redemption[] memory rs = new IComputeMarket.Redemption[](3);
        uint256 total;
        for (uint256 i; i < 3; ++i) {
            uint256 amount = bound(amounts[i], 0, 100e6);
            uint256 authorized = bound(extra[i], amount, 100e6);
            rs[i] = _entry(ids[i], amount, authorized);
            total += amount;
        }
        _redeemMany(rs);
        assertEq(token.balanceOf(provider), total);
        assertEq(token.balanceOf(address(market)), 300e6 - total);
    }
}
