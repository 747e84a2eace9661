// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MarketBase} from "./utils/MarketBase.sol";
import {ReentrantToken} from "./utils/ReentrantToken.sol";
import {IComputeMarket} from "../../src/interfaces/IComputeMarket.sol";
import {ComputeMarket} from "../../src/ComputeMarket.sol";
import {PaymentChannels} from "../../src/market/PaymentChannels.sol";

contract AttacksTest is MarketBase {
    /// secp256k1 group order.
    uint256 internal constant N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    uint256 internal id;

    function setUp() public override {
        super.setUp();
        id = _open(100e6);
    }

    function test_Attack_DoubleClaimSameVoucher() public {
        bytes memory sig = _sign(signerPk, id, 40e6);
        vm.prank(provider);
        market.redeem(id, 40e6, 40e6, sig);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_StaleAmount.selector, id, 40e6, 40e6));
        vm.prank(provider);
        market.redeem(id, 40e6, 40e6, sig);
        assertEq(token.balanceOf(provider), 40e6);
    }

    function test_Attack_StaleVoucherAfterNewer() public {
        bytes memory oldSig = _sign(signerPk, id, 20e6);
        _redeem(id, 50e6, 50e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_StaleAmount.selector, id, 20e6, 50e6));
        vm.prank(provider);
        market.redeem(id, 20e6, 20e6, oldSig);
    }

    function test_Attack_OldHigherVoucherCapsAtMaxAuthorized() public {
        // A provider holding vouchers for 30 and then 20 (decreasing) can never take more than 30 in total.
        bytes memory sig30 = _sign(signerPk, id, 30e6);
        bytes memory sig20 = _sign(signerPk, id, 20e6);
        vm.startPrank(provider);
        market.redeem(id, 20e6, 20e6, sig20);
        market.redeem(id, 30e6, 30e6, sig30);
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.ComputeMarket_AmountAboveAuthorized.selector, id, 31e6, 30e6)
        );
        market.redeem(id, 31e6, 30e6, sig30);
        vm.stopPrank();
        assertEq(token.balanceOf(provider), 30e6);
    }

    function test_Attack_ReplayOnOtherChainId() public {
        bytes memory sig = _sign(signerPk, id, 10e6);
        vm.chainId(block.chainid + 1);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, id));
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, sig);
    }

    function test_Attack_ReplayOnOtherMarketDeployment() public {
        ComputeMarket twin = new ComputeMarket(IERC20(address(token)), PERIOD);
        vm.prank(provider);
        twin.registerProvider("https://provider.example/v1", 1, 1, _models("m"), "");
        vm.startPrank(payer);
        token.approve(address(twin), type(uint256).max);
        uint256 twinId = twin.open(provider, signer, 100e6);
        vm.stopPrank();
        assertEq(twinId, id); // same id, same parties, same signer

        bytes memory sig = _sign(signerPk, id, 10e6); // signed for `market`
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, twinId));
        vm.prank(provider);
        twin.redeem(twinId, 10e6, 10e6, sig);
    }

    function test_Attack_MalleableHighS() public {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerPk, market.voucherDigest(id, 10e6));
        bytes32 highS = bytes32(N - uint256(s));
        uint8 flippedV = v == 27 ? 28 : 27;
        // The flipped signature is mathematically valid (ecrecover accepts it)...
        assertEq(ecrecover(market.voucherDigest(id, 10e6), flippedV, r, highS), signer);
        // ...but the market rejects it.
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, id));
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, abi.encodePacked(r, highS, flippedV));
        // The canonical one works.
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, abi.encodePacked(r, s, v));
    }

    function test_Attack_BadV() public {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerPk, market.voucherDigest(id, 10e6));
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, id));
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, abi.encodePacked(r, s, v + 2));
    }

    function test_Attack_NonProviderRedeems() public {
        address thief = makeAddr("thief");
        bytes memory sig = _sign(signerPk, id, 10e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_NotProvider.selector, id, thief));
        vm.prank(thief);
        market.redeem(id, 10e6, 10e6, sig);
    }

    function test_Attack_PayerSignsButIsNotSigner() public {
        // The payer's own key is not the channel's signer: its vouchers are worthless.
        (address payerKeyAddr, uint256 payerPk) = makeAddrAndKey("payer-key");
        _fund(payerKeyAddr, 10e6);
        vm.prank(payerKeyAddr);
        uint256 cid = market.open(provider, signer, 10e6);
        bytes memory sig = _sign(payerPk, cid, 10e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, cid));
        vm.prank(provider);
        market.redeem(cid, 10e6, 10e6, sig);
    }

    function test_Attack_VoucherForOtherChannel() public {
        uint256 other = _open(100e6);
        bytes memory sig = _sign(signerPk, other, 10e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, id));
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, sig);
    }

    function test_Attack_RedeemAfterWindow() public {
        bytes memory sig = _sign(signerPk, id, 10e6);
        vm.prank(payer);
        market.requestClose(id);
        uint64 closesAt = _channel(id).closesAt;
        vm.warp(uint256(closesAt) + 1);
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.ComputeMarket_ChallengeWindowOver.selector, id, closesAt)
        );
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, sig);
        market.finalize(id);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_AlreadyClosed.selector, id));
        vm.prank(provider);
        market.redeem(id, 10e6, 10e6, sig);
        assertEq(token.balanceOf(payer), FUNDS);
    }

    function test_Attack_FinalizeCannotFrontRunWindow() public {
        vm.prank(payer);
        market.requestClose(id);
        vm.warp(block.timestamp + PERIOD);
        vm.expectRevert();
        market.finalize(id);
        _redeem(id, 10e6, 10e6); // provider still in time
    }

    // ------------------------------------------------------------------ reentrancy via a hostile token

    ReentrantToken internal evil;
    ComputeMarket internal evilMarket;
    uint256 internal evilId;

    function _evilSetUp() internal {
        evil = new ReentrantToken();
        evilMarket = new ComputeMarket(IERC20(address(evil)), PERIOD);
        vm.prank(provider);
        evilMarket.registerProvider("https://p", 1, 1, _models("m"), "");
        evil.mint(payer, 100e6);
        vm.startPrank(payer);
        evil.approve(address(evilMarket), type(uint256).max);
        evilId = evilMarket.open(provider, signer, 100e6);
        vm.stopPrank();
    }

    function _evilSig(uint256 authorized) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerPk, evilMarket.voucherDigest(evilId, authorized));
        return abi.encodePacked(r, s, v);
    }

    function _assertReentryBlocked() internal view {
        assertTrue(evil.attempted());
        assertFalse(evil.reentrySucceeded());
        assertEq(bytes4(evil.reentryRevertData()), ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
    }

    function test_Attack_ReentrancyIntoRedeemOnRedeemTransfer() public {
        _evilSetUp();
        // The token (acting for the provider's side) re-enters redeem with a higher voucher while being paid.
        evil.arm(address(evilMarket), abi.encodeCall(evilMarket.redeem, (evilId, 100e6, 100e6, _evilSig(100e6))));
        bytes memory sig = _evilSig(10e6);
        vm.prank(provider);
        evilMarket.redeem(evilId, 10e6, 10e6, sig);
        _assertReentryBlocked();
        assertEq(evil.balanceOf(provider), 10e6);
        assertEq(evilMarket.getChannel(evilId).redeemed, 10e6);
    }

    function test_Attack_ReentrancyIntoFinalizeOnFinalizeTransfer() public {
        _evilSetUp();
        vm.prank(payer);
        evilMarket.requestClose(evilId);
        vm.warp(block.timestamp + PERIOD + 1);
        evil.arm(address(evilMarket), abi.encodeCall(evilMarket.finalize, (evilId)));
        evilMarket.finalize(evilId);
        _assertReentryBlocked();
        assertEq(evil.balanceOf(payer), 100e6);
        assertEq(evil.balanceOf(address(evilMarket)), 0);
    }

    function test_Attack_ReentrancyIntoRedeemOnFinalizeTransfer() public {
        _evilSetUp();
        vm.prank(payer);
        evilMarket.requestClose(evilId);
        vm.warp(block.timestamp + PERIOD + 1);
        evil.arm(address(evilMarket), abi.encodeCall(evilMarket.redeem, (evilId, 50e6, 50e6, _evilSig(50e6))));
        evilMarket.finalize(evilId);
        _assertReentryBlocked();
        assertEq(evil.balanceOf(payer), 100e6);
    }

    function test_Attack_ReentrancyIntoCloseOnRedeemManyTransfer() public {
        _evilSetUp();
        evil.arm(address(evilMarket), abi.encodeCall(evilMarket.closeCooperatively, (evilId, 0, 0, "")));
        IComputeMarket.Redemption[] memory rs = new IComputeMarket.Redemption[](1);
        rs[0] = IComputeMarket.Redemption(evilId, 10e6, 10e6, _evilSig(10e6));
        vm.prank(provider);
        evilMarket.redeemMany(rs);
        _assertReentryBlocked();
        assertFalse(evilMarket.getChannel(evilId).closed);
        assertEq(evil.balanceOf(address(evilMarket)), 90e6);
    }
}
