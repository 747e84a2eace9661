// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketBase} from "./utils/MarketBase.sol";
import {ProviderBonds} from "../../src/market/ProviderBonds.sol";

/// @notice Bonds and slashing: a provider posts a bond; its signed receipts prove a lie and the bond goes to the payer.
contract BondsTest is MarketBase {
    uint256 internal constant BOND = 500e6;

    address internal bonded;
    uint256 internal bondedPk;
    uint256 internal id;

    function setUp() public override {
        super.setUp();
        (bonded, bondedPk) = makeAddrAndKey("bonded");
        _fund(bonded, BOND);
        vm.prank(bonded);
        market.registerProviderWithBond("https://bonded.example/v1", 1e6, 2e6, _models("llama"), "{}", BOND);
        vm.prank(payer);
        id = market.open(bonded, signer, 100e6);
    }

    // ------------------------------------------------------------------ helpers

    function _receipt(uint256 channelId, uint256 cost, uint256 spentAfter) internal pure returns (ProviderBonds.Receipt memory) {
        return ProviderBonds.Receipt({
            channelId: channelId,
            requestHash: keccak256(abi.encode("request", spentAfter)),
            responseHash: keccak256(abi.encode("response", spentAfter)),
            model: "llama",
            tokensIn: 100,
            tokensOut: 50,
            cost: cost,
            spentAfter: spentAfter
        });
    }

    function _signReceipt(uint256 pk, ProviderBonds.Receipt memory r) internal view returns (bytes memory) {
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(pk, market.receiptDigest(r));
        return abi.encodePacked(rr, s, v);
    }

    function _redeemBonded(uint256 amount, uint256 authorized) internal {
        bytes memory sig = _sign(signerPk, id, authorized);
        vm.prank(bonded);
        market.redeem(id, amount, authorized, sig);
    }

    // ------------------------------------------------------------------ registration and withdrawal

    function test_RegisterWithBond_HoldsTheBond() public view {
        ProviderBonds.Bond memory b = market.bondOf(bonded);
        assertEq(b.bonded, BOND);
        assertEq(b.withdrawing, 0);
        assertTrue(market.getProvider(bonded).active);
        // Channels' escrow and bonds in one balance: 100e6 deposit + the bond.
        assertEq(token.balanceOf(address(market)), 100e6 + BOND);
    }

    function test_DepositBond_Adds() public {
        _fund(bonded, 10e6);
        vm.prank(bonded);
        market.depositBond(10e6);
        assertEq(market.bondOf(bonded).bonded, BOND + 10e6);
    }

    function test_RevertWhen_DepositBondZero() public {
        vm.prank(bonded);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_InvalidBondAmount.selector, 0, BOND));
        market.depositBond(0);
    }

    function test_Withdrawal_AfterTheDelay() public {
        vm.prank(bonded);
        market.requestBondWithdrawal(200e6);
        uint64 at = uint64(block.timestamp) + market.BOND_WITHDRAWAL_DELAY();
        assertEq(market.bondOf(bonded).withdrawableAt, at);
        vm.warp(at);
        vm.prank(bonded);
        market.withdrawBond();
        assertEq(token.balanceOf(bonded), 200e6);
        assertEq(market.bondOf(bonded).bonded, BOND - 200e6);
        assertEq(market.bondOf(bonded).withdrawing, 0);
    }

    function test_RevertWhen_WithdrawBeforeTheDelay() public {
        vm.prank(bonded);
        market.requestBondWithdrawal(200e6);
        uint64 at = uint64(block.timestamp) + market.BOND_WITHDRAWAL_DELAY();
        vm.warp(at - 1);
        vm.prank(bonded);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_BondLocked.selector, bonded, at));
        market.withdrawBond();
    }

    function test_RevertWhen_WithdrawNothingRequested() public {
        vm.prank(bonded);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_BondLocked.selector, bonded, uint64(0)));
        market.withdrawBond();
    }

    function test_RevertWhen_RequestWithdrawalAboveBond() public {
        vm.prank(bonded);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_InvalidBondAmount.selector, BOND + 1, BOND));
        market.requestBondWithdrawal(BOND + 1);
    }

    function test_RevertWhen_WithdrawWhileAccused() public {
        // Over-redeems, starts withdrawing, is accused: the bond cannot leave, and is slashed whole.
        _redeemBonded(30e6, 30e6);
        vm.prank(bonded);
        market.requestBondWithdrawal(BOND);
        ProviderBonds.Receipt memory r = _receipt(id, 4e6, 20e6);
        bytes memory sig = _signReceipt(bondedPk, r);
        vm.prank(payer);
        market.accuseOverRedemption(r, sig);
        vm.warp(block.timestamp + market.BOND_WITHDRAWAL_DELAY());
        vm.prank(bonded);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_BondAccused.selector, bonded, 1));
        market.withdrawBond();
        market.slashOverRedemption(id);
        assertEq(token.balanceOf(payer), FUNDS - 100e6 + BOND);
    }

    // ------------------------------------------------------------------ honest redemption

    function test_HonestRedemption_CannotBeSlashed() public {
        // Receipts 0 → 4 → 9 → 20; the provider redeems exactly the last spent it signed.
        ProviderBonds.Receipt memory last = _receipt(id, 11e6, 20e6);
        _redeemBonded(20e6, 25e6);
        bytes memory lastSig = _signReceipt(bondedPk, last);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_NotOverRedeemed.selector, id, 20e6, 20e6));
        market.accuseOverRedemption(last, lastSig);
        assertEq(market.bondOf(bonded).bonded, BOND);
    }

    // ------------------------------------------------------------------ fraud: over-redemption

    function test_OverRedemption_UnansweredSlashesTheBondToThePayer() public {
        ProviderBonds.Receipt memory last = _receipt(id, 11e6, 20e6);
        // The voucher allowed 25 (spent + the next request's maxCost); the provider takes it all though it signed 20.
        _redeemBonded(25e6, 25e6);
        bytes memory sig = _signReceipt(bondedPk, last);
        uint64 deadline = uint64(block.timestamp) + market.BOND_RESPONSE_WINDOW();
        vm.expectEmit(address(market));
        emit ProviderBonds.OverRedemptionAccused(id, bonded, 20e6, 25e6, deadline);
        vm.prank(payer);
        market.accuseOverRedemption(last, sig);

        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_ResponseWindow.selector, id, deadline));
        market.slashOverRedemption(id);

        vm.warp(deadline + 1);
        uint256 before = token.balanceOf(payer);
        vm.expectEmit(address(market));
        emit ProviderBonds.BondSlashed(bonded, payer, id, BOND, 1);
        market.slashOverRedemption(id);
        assertEq(token.balanceOf(payer) - before, BOND);
        assertEq(market.bondOf(bonded).bonded, 0);
        assertEq(market.bondOf(bonded).openAccusations, 0);
    }

    function test_RevertWhen_AnswerAfterTheWindow() public {
        _redeemBonded(25e6, 25e6);
        ProviderBonds.Receipt memory last = _receipt(id, 11e6, 20e6);
        bytes memory lastSig = _signReceipt(bondedPk, last);
        vm.prank(payer);
        market.accuseOverRedemption(last, lastSig);
        (, uint64 deadline) = market.accusationOf(id);
        vm.warp(deadline + 1);
        ProviderBonds.Receipt memory later = _receipt(id, 5e6, 25e6);
        bytes memory laterSig = _signReceipt(bondedPk, later);
        vm.prank(bonded);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_ResponseWindow.selector, id, deadline));
        market.answerOverRedemption(later, laterSig);
    }

    // ------------------------------------------------------------------ false accusations

    function test_FalseAccusation_WithAnOldReceipt_IsAnsweredAndFails() public {
        // The payer hides its latest receipt (20 → 25) and shows an older one (spent 20).
        _redeemBonded(25e6, 30e6);
        ProviderBonds.Receipt memory old = _receipt(id, 11e6, 20e6);
        bytes memory oldSig = _signReceipt(bondedPk, old);
        vm.prank(payer);
        market.accuseOverRedemption(old, oldSig);
        ProviderBonds.Receipt memory latest = _receipt(id, 5e6, 25e6);
        vm.expectEmit(address(market));
        emit ProviderBonds.OverRedemptionAnswered(id, bonded, 20e6, 25e6);
        bytes memory latestSig = _signReceipt(bondedPk, latest);
        vm.prank(bonded);
        market.answerOverRedemption(latest, latestSig);
        (, uint64 deadline) = market.accusationOf(id);
        assertEq(deadline, 0);
        vm.warp(block.timestamp + 2 days);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_AccusationState.selector, id, false));
        market.slashOverRedemption(id);
        assertEq(market.bondOf(bonded).bonded, BOND);
    }

    function test_RevertWhen_AnswerDoesNotContinueTheChain() public {
        _redeemBonded(25e6, 30e6);
        ProviderBonds.Receipt memory old = _receipt(id, 11e6, 20e6);
        bytes memory oldSig = _signReceipt(bondedPk, old);
        vm.prank(payer);
        market.accuseOverRedemption(old, oldSig);
        // Covers 25 but starts before the accused 20 (a fork, not a continuation).
        ProviderBonds.Receipt memory fork = _receipt(id, 10e6, 25e6);
        bytes memory sig = _signReceipt(bondedPk, fork);
        vm.prank(bonded);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_InvalidAnswer.selector, id));
        market.answerOverRedemption(fork, sig);
    }

    function test_RevertWhen_AccusedWithAReceiptNotSignedByTheProvider() public {
        _redeemBonded(25e6, 25e6);
        (, uint256 otherPk) = makeAddrAndKey("other");
        ProviderBonds.Receipt memory forged = _receipt(id, 1e6, 1e6);
        bytes memory sig = _signReceipt(otherPk, forged);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_InvalidReceipt.selector, id));
        market.accuseOverRedemption(forged, sig);
    }

    function test_RevertWhen_AccuserIsNotThePayer() public {
        _redeemBonded(25e6, 25e6);
        ProviderBonds.Receipt memory r = _receipt(id, 11e6, 20e6);
        bytes memory sig = _signReceipt(bondedPk, r);
        vm.prank(makeAddr("stranger"));
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_InvalidReceipt.selector, id));
        market.accuseOverRedemption(r, sig);
    }

    // ------------------------------------------------------------------ fraud: double signing

    function test_DoubleSigning_SlashesAtOnce() public {
        // Two totals after the same step 9: 20 and 24.
        ProviderBonds.Receipt memory a = _receipt(id, 11e6, 20e6);
        ProviderBonds.Receipt memory b = _receipt(id, 15e6, 24e6);
        bytes memory sigA = _signReceipt(bondedPk, a);
        bytes memory sigB = _signReceipt(bondedPk, b);
        vm.expectEmit(address(market));
        emit ProviderBonds.BondSlashed(bonded, payer, id, BOND, 0);
        vm.prank(makeAddr("anyone"));
        market.proveDoubleSigning(a, sigA, b, sigB);
        assertEq(token.balanceOf(payer), FUNDS - 100e6 + BOND);
        assertEq(market.bondOf(bonded).bonded, 0);
    }

    function test_RevertWhen_DoubleSigningProofIsTwoStepsOfOneChain() public {
        // 9 → 20 then 20 → 24: consecutive, not a fork.
        ProviderBonds.Receipt memory a = _receipt(id, 11e6, 20e6);
        ProviderBonds.Receipt memory b = _receipt(id, 4e6, 24e6);
        bytes memory sigA = _signReceipt(bondedPk, a);
        bytes memory sigB = _signReceipt(bondedPk, b);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_NotDoubleSigned.selector, id));
        market.proveDoubleSigning(a, sigA, b, sigB);
    }

    function test_RevertWhen_DoubleSigningProofIsTheSameReceipt() public {
        ProviderBonds.Receipt memory a = _receipt(id, 11e6, 20e6);
        bytes memory sigA = _signReceipt(bondedPk, a);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_NotDoubleSigned.selector, id));
        market.proveDoubleSigning(a, sigA, a, sigA);
    }

    function test_RevertWhen_SlashingAProviderWithoutBond() public {
        // The honest fixture provider posted no bond: a proven lie has nothing to take.
        (address keyed, uint256 keyedPk) = makeAddrAndKey("unbonded");
        _register(keyed);
        vm.prank(payer);
        uint256 other = market.open(keyed, signer, 10e6);
        ProviderBonds.Receipt memory a = _receipt(other, 1e6, 2e6);
        ProviderBonds.Receipt memory b = _receipt(other, 2e6, 3e6);
        bytes memory sigA = _signReceipt(keyedPk, a);
        bytes memory sigB = _signReceipt(keyedPk, b);
        vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_NothingToSlash.selector, keyed));
        market.proveDoubleSigning(a, sigA, b, sigB);
    }

    // ------------------------------------------------------------------ fuzz

    /// @dev Whatever the figures, an over-redemption accusation succeeds only when redeemed > the receipt's spent.
    function testFuzz_AccusationOnlyAboveTheSignedSpent(uint96 spentAfter, uint96 redeemed) public {
        redeemed = uint96(bound(redeemed, 1, 100e6));
        spentAfter = uint96(bound(spentAfter, 0, 100e6));
        _redeemBonded(redeemed, redeemed);
        ProviderBonds.Receipt memory r = _receipt(id, 0, spentAfter);
        bytes memory sig = _signReceipt(bondedPk, r);
        vm.prank(payer);
        if (redeemed <= spentAfter) {
            vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_NotOverRedeemed.selector, id, uint256(redeemed), uint256(spentAfter)));
            market.accuseOverRedemption(r, sig);
        } else {
            market.accuseOverRedemption(r, sig);
            (uint256 accused,) = market.accusationOf(id);
            assertEq(accused, spentAfter);
        }
    }

    /// @dev Two receipts slash only when they share a channel and a step and differ in total.
    function testFuzz_DoubleSigningOnlyForAFork(uint64 costA, uint64 spentA, uint64 costB, uint64 spentB) public {
        costA = uint64(bound(costA, 0, spentA));
        costB = uint64(bound(costB, 0, spentB));
        ProviderBonds.Receipt memory a = _receipt(id, costA, spentA);
        ProviderBonds.Receipt memory b = _receipt(id, costB, spentB);
        bytes memory sigA = _signReceipt(bondedPk, a);
        bytes memory sigB = _signReceipt(bondedPk, b);
        bool fork = spentA != spentB && spentA - costA == spentB - costB;
        if (!fork) vm.expectRevert(abi.encodeWithSelector(ProviderBonds.ComputeMarket_NotDoubleSigned.selector, id));
        market.proveDoubleSigning(a, sigA, b, sigB);
        assertEq(market.bondOf(bonded).bonded, fork ? 0 : BOND);
    }
}
