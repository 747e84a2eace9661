// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {USDx} from "../../src/assets/USDx.sol";
import {X402BatchSettlement} from "../../src/x402/X402BatchSettlement.sol";
import {IX402BatchSettlement} from "../../src/x402/IX402BatchSettlement.sol";
import {ERC3009DepositCollector} from "../../src/x402/ERC3009DepositCollector.sol";

/// @notice Shared world for the batch-settlement tests: USDx (EIP-3009), the escrow, the ERC-3009 collector, a
/// payer with a separate voucher-signing authorizer (as the agent: TBA pays, session key signs), a receiver
/// with its own claim authorizer.
abstract contract BatchSettlementBase is Test {
    USDx internal token;
    X402BatchSettlement internal escrow;
    ERC3009DepositCollector internal collector;

    address internal payer;
    uint256 internal payerPk;
    address internal payerAuthorizer;
    uint256 internal payerAuthorizerPk;
    address internal receiver = makeAddr("receiver");
    address internal receiverAuthorizer;
    uint256 internal receiverAuthorizerPk;

    uint40 internal constant DELAY = 1 hours;

    function setUp() public virtual {
        token = new USDx(address(this));
        escrow = new X402BatchSettlement();
        collector = new ERC3009DepositCollector(address(escrow));
        (payer, payerPk) = makeAddrAndKey("payer");
        (payerAuthorizer, payerAuthorizerPk) = makeAddrAndKey("payer-authorizer");
        (receiverAuthorizer, receiverAuthorizerPk) = makeAddrAndKey("receiver-authorizer");
        token.mint(payer, 1_000e6);
        vm.prank(payer);
        token.approve(address(escrow), type(uint256).max);
        vm.warp(1_000_000);
    }

    function _config(bytes32 salt) internal view returns (IX402BatchSettlement.ChannelConfig memory) {
        return IX402BatchSettlement.ChannelConfig({
            payer: payer,
            payerAuthorizer: payerAuthorizer,
            receiver: receiver,
            receiverAuthorizer: receiverAuthorizer,
            token: address(token),
            withdrawDelay: DELAY,
            salt: salt
        });
    }

    function _deposit(IX402BatchSettlement.ChannelConfig memory config, uint128 amount) internal returns (bytes32 id) {
        vm.prank(payer);
        escrow.deposit(config, amount, address(0), "");
        return escrow.getChannelId(config);
    }

    function _voucherSig(uint256 pk, bytes32 id, uint128 max) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, escrow.getVoucherDigest(id, max));
        return abi.encodePacked(r, s, v);
    }

    function _claimOf(IX402BatchSettlement.ChannelConfig memory config, uint128 max, uint128 total)
        internal
        view
        returns (IX402BatchSettlement.VoucherClaim memory)
    {
        bytes32 id = escrow.getChannelId(config);
        return IX402BatchSettlement.VoucherClaim({
            voucher: IX402BatchSettlement.Voucher({channel: config, maxClaimableAmount: max}),
            signature: _voucherSig(payerAuthorizerPk, id, max),
            totalClaimed: total
        });
    }

    function _one(IX402BatchSettlement.VoucherClaim memory c)
        internal
        pure
        returns (IX402BatchSettlement.VoucherClaim[] memory claims)
    {
        claims = new IX402BatchSettlement.VoucherClaim[](1);
        claims[0] = c;
    }

    function _balance(bytes32 id) internal view returns (uint128 balance, uint128 claimed) {
        return escrow.channels(id);
    }
}
