// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {USDx} from "../../src/assets/USDx.sol";
import {X402BatchSettlement} from "../../src/x402/X402BatchSettlement.sol";
import {IX402BatchSettlement} from "../../src/x402/IX402BatchSettlement.sol";

/// @notice Drives the escrow with random deposits, claims (honest and over-asking), refunds, withdrawals and
/// settles over three channels of one payer to one receiver.
contract BatchSettlementHandler is Test {
    USDx internal immutable token;
    X402BatchSettlement internal immutable escrow;
    address internal immutable payer;
    uint256 internal immutable authorizerPk;
    address internal immutable receiver;
    address internal immutable receiverAuthorizer;

    /// @notice The highest voucher the payer signed per channel (what the receiver may ever claim).
    mapping(uint256 => uint128) public signed;
    uint256 public constant CHANNELS = 3;

    constructor(USDx token_, X402BatchSettlement escrow_, address payer_, uint256 authorizerPk_, address receiver_, address receiverAuthorizer_) {
        token = token_;
        escrow = escrow_;
        payer = payer_;
        authorizerPk = authorizerPk_;
        receiver = receiver_;
        receiverAuthorizer = receiverAuthorizer_;
    }

    function config(uint256 i) public view returns (IX402BatchSettlement.ChannelConfig memory) {
        return IX402BatchSettlement.ChannelConfig({
            payer: payer,
            payerAuthorizer: vm.addr(authorizerPk),
            receiver: receiver,
            receiverAuthorizer: receiverAuthorizer,
            token: address(token),
            withdrawDelay: 900,
            salt: bytes32(i % CHANNELS)
        });
    }

    function deposit(uint256 i, uint128 amount) external {
        amount = uint128(bound(amount, 1, 50e6));
        if (token.balanceOf(payer) < amount) return;
        vm.prank(payer);
        escrow.deposit(config(i), amount, address(0), "");
    }

    function sign(uint256 i, uint128 max) external {
        i %= CHANNELS;
        max = uint128(bound(max, 0, 200e6));
        if (max > signed[i]) signed[i] = max;
    }

    /// @dev The receiver asks `total` with the payer's highest voucher: over-asks must revert.
    function claim(uint256 i, uint128 total) external {
        i %= CHANNELS;
        uint128 max = signed[i];
        if (max == 0) return;
        total = uint128(bound(total, 0, uint256(max) * 2));
        IX402BatchSettlement.ChannelConfig memory c = config(i);
        bytes32 id = escrow.getChannelId(c);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(authorizerPk, escrow.getVoucherDigest(id, max));
        IX402BatchSettlement.VoucherClaim[] memory claims = new IX402BatchSettlement.VoucherClaim[](1);
        claims[0] = IX402BatchSettlement.VoucherClaim({
            voucher: IX402BatchSettlement.Voucher({channel: c, maxClaimableAmount: max}),
            signature: abi.encodePacked(r, s, v),
            totalClaimed: total
        });
        vm.prank(receiverAuthorizer);
        try escrow.claim(claims) {} catch {}
    }

    function refund(uint256 i, uint128 amount) external {
        vm.prank(receiver);
        try escrow.refund(config(i), amount) {} catch {}
    }

    function initiateWithdraw(uint256 i, uint128 amount) external {
        amount = uint128(bound(amount, 1, 100e6));
        vm.prank(payer);
        escrow.initiateWithdraw(config(i), amount);
    }

    function finalizeWithdraw(uint256 i, uint256 wait) external {
        vm.warp(block.timestamp + bound(wait, 0, 2_000));
        try escrow.finalizeWithdraw(config(i)) {} catch {}
    }

    function settle() external {
        try escrow.settle(receiver, address(token)) {} catch {}
    }
}

/// @notice What must always hold for the x402 escrow: the receiver never gets more than the payer signed, a
/// channel never has more claimed than deposited, and the escrow always holds every unclaimed balance plus
/// every claimed-but-unsettled amount (nothing is created or lost).
contract BatchSettlementInvariants is Test {
    USDx internal token;
    X402BatchSettlement internal escrow;
    BatchSettlementHandler internal handler;
    address internal payer = makeAddr("payer");
    address internal receiver = makeAddr("receiver");
    address internal receiverAuthorizer = makeAddr("receiver-authorizer");
    uint256 internal constant SUPPLY = 1_000e6;

    function setUp() public {
        token = new USDx(address(this));
        escrow = new X402BatchSettlement();
        (, uint256 authorizerPk) = makeAddrAndKey("payer-authorizer");
        handler = new BatchSettlementHandler(token, escrow, payer, authorizerPk, receiver, receiverAuthorizer);
        token.mint(payer, SUPPLY);
        vm.prank(payer);
        token.approve(address(escrow), type(uint256).max);
        targetContract(address(handler));
    }

    function invariant_ReceiverNeverGetsMoreThanSigned() public view {
        uint256 signedTotal;
        for (uint256 i = 0; i < handler.CHANNELS(); ++i) {
            (, uint128 claimed) = escrow.channels(escrow.getChannelId(handler.config(i)));
            assertLe(claimed, handler.signed(i));
            signedTotal += handler.signed(i);
        }
        assertLe(token.balanceOf(receiver), signedTotal);
    }

    function invariant_ClaimedNeverAboveBalance() public view {
        for (uint256 i = 0; i < handler.CHANNELS(); ++i) {
            (uint128 balance, uint128 claimed) = escrow.channels(escrow.getChannelId(handler.config(i)));
            assertLe(claimed, balance);
        }
    }

    function invariant_EscrowHoldsWhatItOwes() public view {
        uint256 unclaimed;
        for (uint256 i = 0; i < handler.CHANNELS(); ++i) {
            (uint128 balance, uint128 claimed) = escrow.channels(escrow.getChannelId(handler.config(i)));
            unclaimed += balance - claimed;
        }
        (uint128 rClaimed, uint128 rSettled) = escrow.receivers(receiver, address(token));
        assertEq(token.balanceOf(address(escrow)), unclaimed + rClaimed - rSettled);
        assertEq(token.balanceOf(payer) + token.balanceOf(receiver) + token.balanceOf(address(escrow)), SUPPLY);
        assertEq(token.balanceOf(receiver), rSettled);
    }
}
