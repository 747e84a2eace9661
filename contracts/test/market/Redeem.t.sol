// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketBase} from "./utils/MarketBase.sol";
import {ContractSigner} from "./utils/ContractSigner.sol";
import {IComputeMarket} from "../../src/interfaces/IComputeMarket.sol";
import {PaymentChannels} from "../../src/market/PaymentChannels.sol";

contract RedeemTest is MarketBase {
    uint256 internal id;

    function setUp() public override {
        super.setUp();
        id = _open(100e6);
    }

    function test_Redeem_PaysDifference() public {
        bytes memory sig = _sign(signerPk, id, 30e6);
        vm.expectEmit(address(market));
        emit IComputeMarket.Redeemed(id, provider, 20e6, 20e6);
        vm.prank(provider);
        market.redeem(id, 20e6, 30e6, sig);
        assertEq(token.balanceOf(provider), 20e6);
        assertEq(_channel(id).redeemed, 20e6);

        // Same voucher, higher cumulative amount: only the difference is paid.
        vm.prank(provider);
        market.redeem(id, 30e6, 30e6, sig);
        assertEq(token.balanceOf(provider), 30e6);
        assertEq(token.balanceOf(address(market)), 70e6);
    }

    function test_Redeem_FullDeposit() public {
        _redeem(id, 100e6, 100e6);
        assertEq(token.balanceOf(provider), 100e6);
        assertEq(token.balanceOf(address(market)), 0);
    }

    function test_Redeem_DuringChallengeWindowUntilClosesAt() public {
        vm.prank(payer);
        market.requestClose(id);
        vm.warp(_channel(id).closesAt); // last second of the window
        _redeem(id, 5e6, 5e6);
        assertEq(token.balanceOf(provider), 5e6);
    }

    /// @dev Behaviour changed deliberately (issue 10, class 5): an ERC-1271 contract signer's vouchers used to be
    /// accepted; vouchers are now ECDSA only, so both the signature the account accepts and one it rejects revert.
    function test_RevertWhen_RedeemContractSignerViaErc1271() public {
        (address owner, uint256 ownerPk) = makeAddrAndKey("account-owner");
        ContractSigner account = new ContractSigner(owner);
        vm.prank(payer);
        uint256 cid = market.open(provider, address(account), 10e6);
        bytes memory sig = _sign(ownerPk, cid, 4e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, cid));
        vm.prank(provider);
        market.redeem(cid, 4e6, 4e6, sig);
        assertEq(token.balanceOf(provider), 0);

        // A signature the account rejects.
        sig = _sign(signerPk, cid, 5e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, cid));
        vm.prank(provider);
        market.redeem(cid, 5e6, 5e6, sig);
    }

    function testFuzz_Redeem(uint256 deposit, uint256 authorized, uint256 amount) public {
        deposit = bound(deposit, 1, FUNDS - 100e6);
        uint256 cid = _open(deposit);
        authorized = bound(authorized, 1, deposit);
        amount = bound(amount, 1, authorized);
        _redeem(cid, amount, authorized);
        assertEq(token.balanceOf(provider), amount);
        assertEq(_channel(cid).redeemed, amount);
    }

    function testFuzz_Redeem_CumulativeSequence(uint256[5] memory steps) public {
        uint256 total;
        for (uint256 i; i < steps.length; ++i) {
            uint256 step = bound(steps[i], 1, 20e6);
            total += step;
            _redeem(id, total, total);
        }
        assertEq(token.balanceOf(provider), total);
        assertEq(token.balanceOf(address(market)), 100e6 - total);
    }

    function testFuzz_RevertWhen_AmountAboveAuthorized(uint256 authorized, uint256 amount) public {
        authorized = bound(authorized, 0, 100e6 - 1);
        amount = bound(amount, authorized + 1, type(uint256).max);
        bytes memory sig = _sign(signerPk, id, authorized);
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.ComputeMarket_AmountAboveAuthorized.selector, id, amount, authorized)
        );
        vm.prank(provider);
        market.redeem(id, amount, authorized, sig);
    }

    function testFuzz_RevertWhen_AuthorizedAboveDeposit(uint256 authorized) public {
        authorized = bound(authorized, 100e6 + 1, type(uint256).max);
        bytes memory sig = _sign(signerPk, id, authorized);
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.ComputeMarket_AuthorizedAboveDeposit.selector, id, authorized, 100e6)
        );
        vm.prank(provider);
        market.redeem(id, 1, authorized, sig);
    }

    function test_RevertWhen_AmountZero() public {
        bytes memory sig = _sign(signerPk, id, 10e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_StaleAmount.selector, id, 0, 0));
        vm.prank(provider);
        market.redeem(id, 0, 10e6, sig);
    }

    function testFuzz_RevertWhen_StaleAmount(uint256 first, uint256 second) public {
        first = bound(first, 1, 100e6);
        second = bound(second, 0, first);
        _redeem(id, first, 100e6);
        bytes memory sig = _sign(signerPk, id, 100e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_StaleAmount.selector, id, second, first));
        vm.prank(provider);
        market.redeem(id, second, 100e6, sig);
    }

    function test_RevertWhen_RedeemByNonProvider() public {
        bytes memory sig = _sign(signerPk, id, 10e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_NotProvider.selector, id, payer));
        vm.prank(payer);
        market.redeem(id, 10e6, 10e6, sig);
    }

    function test_RevertWhen_RedeemUnknownChannel() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_UnknownChannel.selector, 99));
        vm.prank(provider);
        market.redeem(99, 1, 1, "");
    }

    function test_RevertWhen_InvalidSignature() public {
        (, uint256 otherPk) = makeAddrAndKey("stranger");
        bytes memory sig = _sign(otherPk, id, 10e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, id));
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, sig);
    }

    function test_RevertWhen_SignatureForOtherAuthorized() public {
        bytes memory sig = _sign(signerPk, id, 10e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, id));
        vm.prank(provider);
        market.redeem(id, 20e6, 20e6, sig);
    }

    function test_RevertWhen_SignatureMalformed() public {
        bytes memory sig = _sign(signerPk, id, 10e6);
        bytes memory short = new bytes(64);
        for (uint256 i; i < 64; ++i) {
            short[i] = sig[i];
        }
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, id));
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, short);

        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, id));
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, "");
    }

    function test_RevertWhen_ChallengeWindowOver() public {
        vm.prank(payer);
        market.requestClose(id);
        uint64 closesAt = _channel(id).closesAt;
        vm.warp(uint256(closesAt) + 1);
        bytes memory sig = _sign(signerPk, id, 10e6);
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.ComputeMarket_ChallengeWindowOver.selector, id, closesAt)
        );
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, sig);
    }

    function testFuzz_RedeemWindow(uint256 elapsed) public {
        vm.prank(payer);
        market.requestClose(id);
        elapsed = bound(elapsed, 0, 3 * uint256(PERIOD));
        vm.warp(block.timestamp + elapsed);
        bytes memory sig = _sign(signerPk, id, 10e6);
        if (elapsed > PERIOD) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    PaymentChannels.ComputeMarket_ChallengeWindowOver.selector, id, _channel(id).closesAt
                )
            );
        }
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, sig);
    }

    function test_RevertWhen_RedeemClosed() public {
        vm.prank(provider);
        market.closeCooperatively(id, 0, 0, "");
        bytes memory sig = _sign(signerPk, id, 10e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_AlreadyClosed.selector, id));
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, sig);
    }
    /// @dev `redeem` reads the close state (slot 2) only when the channel's `ending` flag is set: every transition of
    /// the close state must keep the flag right. Request, cancel by top-up (redeemable past the old window), request
    /// again (not redeemable past the new window), then finalize (never redeemable again).
    function testFuzz_Redeem_FollowsCloseStateThroughItsLife(uint256 late) public {
        late = bound(late, 1, 10 * uint256(PERIOD));
        vm.prank(payer);
        market.requestClose(id);
        uint64 oldClosesAt = _channel(id).closesAt;
        token.mint(payer, 1e6);
        vm.prank(payer);
        market.topUp(id, 1e6); // cancels the close request
        vm.warp(uint256(oldClosesAt) + late);
        _redeem(id, 5e6, 5e6); // the cancelled window no longer applies
        assertEq(token.balanceOf(provider), 5e6);

        vm.prank(payer);
        market.requestClose(id);
        uint64 closesAt = _channel(id).closesAt;
        vm.warp(uint256(closesAt) + 1);
        bytes memory sig = _sign(signerPk, id, 10e6);
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.ComputeMarket_ChallengeWindowOver.selector, id, closesAt)
        );
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, sig);

        market.finalize(id);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_AlreadyClosed.selector, id));
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, sig);
    }
}
