// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BatchSettlementBase} from "./BatchSettlementBase.sol";
import {X402BatchSettlement} from "../../src/x402/X402BatchSettlement.sol";
import {IX402BatchSettlement} from "../../src/x402/IX402BatchSettlement.sol";
import {ERC3009DepositCollector} from "../../src/x402/ERC3009DepositCollector.sol";
import {IDepositCollector} from "../../src/x402/IDepositCollector.sol";
import {ERC3009} from "../../src/assets/ERC3009.sol";
import {ContractSigner} from "../market/utils/ContractSigner.sol";
import {ReentrantToken} from "../market/utils/ReentrantToken.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @notice A collector that claims to deposit but moves nothing (or less).
contract LyingCollector is IDepositCollector {
    function collect(address, address, uint256, bytes32, bytes calldata) external {}
}

/// @notice A collector that re-enters `deposit` to be credited twice for one transfer.
contract ReenteringCollector is IDepositCollector {
    X402BatchSettlement internal immutable escrow;
    bytes public revertData;

    constructor(X402BatchSettlement escrow_) {
        escrow = escrow_;
    }

    function collect(address, address token, uint256 amount, bytes32, bytes calldata data) external {
        IX402BatchSettlement.ChannelConfig memory config = abi.decode(data, (IX402BatchSettlement.ChannelConfig));
        (bool ok, bytes memory ret) = address(escrow).call(
            abi.encodeCall(escrow.deposit, (config, uint128(amount), address(this), data))
        );
        require(!ok, "re-entry succeeded");
        revertData = ret;
        // forward the payer's tokens the honest way so the outer deposit balances
        (bool sent,) = token.call(abi.encodeWithSignature("transfer(address,uint256)", address(escrow), amount));
        require(sent);
    }
}

contract BatchSettlementTest is BatchSettlementBase {
    // ------------------------------------------------------------------ ids and digests

    function test_ChannelIdIsTheEip712HashOfTheConfig() public view {
        IX402BatchSettlement.ChannelConfig memory c = _config(bytes32(uint256(7)));
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("x402 Batch Settlement"),
                keccak256("1"),
                block.chainid,
                address(escrow)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                escrow.CHANNEL_CONFIG_TYPEHASH(),
                c.payer,
                c.payerAuthorizer,
                c.receiver,
                c.receiverAuthorizer,
                c.token,
                c.withdrawDelay,
                c.salt
            )
        );
        assertEq(escrow.getChannelId(c), keccak256(abi.encodePacked("\x19\x01", domain, structHash)));
        assertEq(
            escrow.CHANNEL_CONFIG_TYPEHASH(),
            keccak256(
                "ChannelConfig(address payer,address payerAuthorizer,address receiver,address receiverAuthorizer,address token,uint40 withdrawDelay,bytes32 salt)"
            )
        );
    }

    // ------------------------------------------------------------------ deposits

    function test_Deposit_PullsFromCaller() public {
        bytes32 id = _deposit(_config(0), 100e6);
        (uint128 balance, uint128 claimed) = _balance(id);
        assertEq(balance, 100e6);
        assertEq(claimed, 0);
        assertEq(token.balanceOf(address(escrow)), 100e6);
        _deposit(_config(0), 50e6);
        (balance,) = _balance(id);
        assertEq(balance, 150e6);
    }

    function test_Deposit_Erc3009Collector() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(bytes32(uint256(1)));
        bytes32 id = escrow.getChannelId(c);
        bytes memory data = _erc3009Data(id, 40e6, 42);
        vm.prank(makeAddr("facilitator"));
        escrow.deposit(c, 40e6, address(collector), data);
        (uint128 balance,) = _balance(id);
        assertEq(balance, 40e6);
        assertEq(token.balanceOf(payer), 960e6);
        assertEq(token.balanceOf(address(collector)), 0);

        // The same authorization cannot fund the channel twice.
        vm.expectRevert(
            abi.encodeWithSelector(ERC3009.ERC3009_AuthorizationUsed.selector, payer, keccak256(abi.encode(id, uint256(42))))
        );
        escrow.deposit(c, 40e6, address(collector), data);
    }

    function test_RevertWhen_Erc3009AuthorizationUsedForAnotherChannel() public {
        bytes32 id = escrow.getChannelId(_config(bytes32(uint256(1))));
        bytes memory data = _erc3009Data(id, 40e6, 42);
        // The nonce binds the authorization to its channel: another config recomputes another nonce.
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009_InvalidSignature.selector, payer));
        escrow.deposit(_config(bytes32(uint256(2))), 40e6, address(collector), data);
    }

    function test_RevertWhen_CollectorCalledDirectly() public {
        vm.expectRevert(
            abi.encodeWithSelector(ERC3009DepositCollector.ERC3009DepositCollector_NotEscrow.selector, address(this))
        );
        collector.collect(payer, address(token), 1, bytes32(0), "");
    }

    function test_RevertWhen_CollectorDeliversLess() public {
        LyingCollector liar = new LyingCollector();
        vm.expectRevert(abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_DepositMismatch.selector, 10e6, 0));
        escrow.deposit(_config(0), 10e6, address(liar), "");
    }

    function test_RevertWhen_CollectorReentersDeposit() public {
        ReenteringCollector evil = new ReenteringCollector(escrow);
        token.mint(address(evil), 10e6);
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        escrow.deposit(c, 10e6, address(evil), abi.encode(c));
        assertEq(evil.revertData(), abi.encodeWithSelector(ReentrancyGuard.ReentrancyGuardReentrantCall.selector));
        (uint128 balance,) = _balance(escrow.getChannelId(c));
        assertEq(balance, 10e6); // credited once
    }

    function test_RevertWhen_WithdrawDelayOutOfRange() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        c.withdrawDelay = 899;
        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_WithdrawDelayOutOfRange.selector, uint40(899))
        );
        escrow.deposit(c, 1e6, address(0), "");
        c.withdrawDelay = 30 days + 1;
        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(
                X402BatchSettlement.X402BatchSettlement_WithdrawDelayOutOfRange.selector, uint40(30 days + 1)
            )
        );
        escrow.deposit(c, 1e6, address(0), "");
    }

    function test_RevertWhen_DepositZeroOrNoReceiverAuthorizer() public {
        vm.prank(payer);
        vm.expectRevert(X402BatchSettlement.X402BatchSettlement_ZeroAmount.selector);
        escrow.deposit(_config(0), 0, address(0), "");
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        c.receiverAuthorizer = address(0);
        vm.prank(payer);
        vm.expectRevert(X402BatchSettlement.X402BatchSettlement_InvalidConfig.selector);
        escrow.deposit(c, 1e6, address(0), "");
    }

    // ------------------------------------------------------------------ claims and settle

    function test_Claim_ThenSettlePaysTheReceiver() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 100e6);
        IX402BatchSettlement.VoucherClaim[] memory claims = _one(_claimOf(c, 30e6, 25e6));
        vm.prank(receiverAuthorizer);
        escrow.claim(claims);
        (uint128 balance, uint128 claimed) = _balance(id);
        assertEq(balance, 100e6);
        assertEq(claimed, 25e6);
        (uint128 rClaimed, uint128 rSettled) = escrow.receivers(receiver, address(token));
        assertEq(rClaimed, 25e6);
        assertEq(rSettled, 0);

        vm.expectEmit(address(escrow));
        emit IX402BatchSettlement.Settled(receiver, address(token), address(this), 25e6);
        escrow.settle(receiver, address(token));
        assertEq(token.balanceOf(receiver), 25e6);
        (, rSettled) = escrow.receivers(receiver, address(token));
        assertEq(rSettled, 25e6);

        vm.expectRevert(
            abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_NothingToSettle.selector, receiver, address(token))
        );
        escrow.settle(receiver, address(token));
    }

    function test_ClaimWithSignature_BatchesChannels() public {
        IX402BatchSettlement.ChannelConfig memory a = _config(bytes32(uint256(1)));
        IX402BatchSettlement.ChannelConfig memory b = _config(bytes32(uint256(2)));
        _deposit(a, 10e6);
        _deposit(b, 20e6);
        IX402BatchSettlement.VoucherClaim[] memory claims = new IX402BatchSettlement.VoucherClaim[](2);
        claims[0] = _claimOf(a, 4e6, 4e6);
        claims[1] = _claimOf(b, 9e6, 8e6);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(receiverAuthorizerPk, escrow.getClaimBatchDigest(claims));
        vm.prank(makeAddr("anyone"));
        escrow.claimWithSignature(claims, abi.encodePacked(r, s, v));
        (uint128 rClaimed,) = escrow.receivers(receiver, address(token));
        assertEq(rClaimed, 12e6);
        escrow.settle(receiver, address(token));
        assertEq(token.balanceOf(receiver), 12e6);
    }

    function test_ClaimBatchDigestIsTheEip712Hash() public view {
        IX402BatchSettlement.ChannelConfig memory a = _config(bytes32(uint256(1)));
        IX402BatchSettlement.VoucherClaim[] memory claims = _one(_claimOf(a, 4e6, 3e6));
        bytes32 entry = keccak256(
            abi.encode(
                keccak256("ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)"),
                escrow.getChannelId(a),
                uint128(4e6),
                uint128(3e6)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "ClaimBatch(ClaimEntry[] claims)ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)"
                ),
                keccak256(abi.encodePacked(entry))
            )
        );
        (, string memory name, string memory version, uint256 chainId, address verifying,,) = escrow.eip712Domain();
        assertEq(name, "x402 Batch Settlement");
        assertEq(version, "1");
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                chainId,
                verifying
            )
        );
        assertEq(escrow.getClaimBatchDigest(claims), keccak256(abi.encodePacked("\x19\x01", domain, structHash)));
    }

    function test_RevertWhen_ClaimBatchSignedByAnotherKey() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        IX402BatchSettlement.VoucherClaim[] memory claims = _one(_claimOf(c, 4e6, 4e6));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(payerPk, escrow.getClaimBatchDigest(claims));
        vm.expectRevert(abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_InvalidClaimSignature.selector, id));
        escrow.claimWithSignature(claims, abi.encodePacked(r, s, v));
    }

    function test_RevertWhen_ClaimByStranger() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        IX402BatchSettlement.VoucherClaim[] memory claims = _one(_claimOf(c, 4e6, 4e6));
        vm.prank(receiver); // the receiver itself is not the authorizer
        vm.expectRevert(
            abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_NotReceiverAuthorizer.selector, id, receiver)
        );
        escrow.claim(claims);
    }

    function test_RevertWhen_ClaimExceedsVoucher() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        IX402BatchSettlement.VoucherClaim[] memory claims = _one(_claimOf(c, 4e6, 4e6 + 1));
        vm.prank(receiverAuthorizer);
        vm.expectRevert(
            abi.encodeWithSelector(
                X402BatchSettlement.X402BatchSettlement_ClaimExceedsVoucher.selector, id, uint128(4e6 + 1), uint128(4e6)
            )
        );
        escrow.claim(claims);
    }

    function test_RevertWhen_ClaimExceedsBalance() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        IX402BatchSettlement.VoucherClaim[] memory claims = _one(_claimOf(c, 50e6, 11e6));
        vm.prank(receiverAuthorizer);
        vm.expectRevert(
            abi.encodeWithSelector(
                X402BatchSettlement.X402BatchSettlement_ClaimExceedsBalance.selector, id, uint128(11e6), uint128(10e6)
            )
        );
        escrow.claim(claims);
    }

    function test_RevertWhen_VoucherSignedByPayerInsteadOfAuthorizer() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        IX402BatchSettlement.VoucherClaim memory claim = _claimOf(c, 4e6, 4e6);
        claim.signature = _voucherSig(payerPk, id, 4e6);
        vm.prank(receiverAuthorizer);
        vm.expectRevert(abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_InvalidVoucherSignature.selector, id));
        escrow.claim(_one(claim));
    }

    function test_RevertWhen_VoucherReusedOnAnotherChannel() public {
        IX402BatchSettlement.ChannelConfig memory a = _config(bytes32(uint256(1)));
        IX402BatchSettlement.ChannelConfig memory b = _config(bytes32(uint256(2)));
        _deposit(a, 10e6);
        bytes32 idB = _deposit(b, 10e6);
        IX402BatchSettlement.VoucherClaim memory claim = _claimOf(a, 4e6, 4e6);
        claim.voucher.channel = b;
        vm.prank(receiverAuthorizer);
        vm.expectRevert(abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_InvalidVoucherSignature.selector, idB));
        escrow.claim(_one(claim));
    }

    function test_Claim_ReplayPaysOnce() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        _deposit(c, 10e6);
        IX402BatchSettlement.VoucherClaim[] memory claims = _one(_claimOf(c, 6e6, 6e6));
        vm.startPrank(receiverAuthorizer);
        escrow.claim(claims);
        escrow.claim(claims);
        // An older, lower voucher does not move the total back nor pay again.
        escrow.claim(_one(_claimOf(c, 3e6, 3e6)));
        vm.stopPrank();
        (uint128 rClaimed,) = escrow.receivers(receiver, address(token));
        assertEq(rClaimed, 6e6);
        escrow.settle(receiver, address(token));
        assertEq(token.balanceOf(receiver), 6e6);
    }

    function test_Claim_Erc1271PayerWhenNoAuthorizer() public {
        (address owner, uint256 ownerPk) = makeAddrAndKey("smart-wallet-owner");
        ContractSigner wallet = new ContractSigner(owner);
        token.mint(address(wallet), 10e6);
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        c.payer = address(wallet);
        c.payerAuthorizer = address(0);
        vm.startPrank(address(wallet));
        token.approve(address(escrow), 10e6);
        escrow.deposit(c, 10e6, address(0), "");
        vm.stopPrank();
        bytes32 id = escrow.getChannelId(c);
        IX402BatchSettlement.VoucherClaim memory claim = IX402BatchSettlement.VoucherClaim({
            voucher: IX402BatchSettlement.Voucher({channel: c, maxClaimableAmount: 5e6}),
            signature: _voucherSig(ownerPk, id, 5e6),
            totalClaimed: 5e6
        });
        vm.prank(receiverAuthorizer);
        escrow.claim(_one(claim));
        (, uint128 claimed) = _balance(id);
        assertEq(claimed, 5e6);
    }

    // ------------------------------------------------------------------ refunds

    function test_Refund_ByReceiverCapsAtUnclaimed() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        vm.startPrank(receiverAuthorizer);
        escrow.claim(_one(_claimOf(c, 4e6, 4e6)));
        escrow.refund(c, 100e6);
        vm.stopPrank();
        (uint128 balance, uint128 claimed) = _balance(id);
        assertEq(balance, 4e6);
        assertEq(claimed, 4e6);
        assertEq(token.balanceOf(payer), 1_000e6 - 10e6 + 6e6);
        assertEq(escrow.refundNonce(id), 1);
        // The claimed part is still the receiver's.
        escrow.settle(receiver, address(token));
        assertEq(token.balanceOf(receiver), 4e6);
        assertEq(token.balanceOf(address(escrow)), 0);
        vm.prank(receiver);
        vm.expectRevert(abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_NothingToRefund.selector, id));
        escrow.refund(c, 1);
    }

    function test_RefundWithSignature_OnceOnly() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(receiverAuthorizerPk, escrow.getRefundDigest(id, 0, 3e6));
        bytes memory sig = abi.encodePacked(r, s, v);
        escrow.refundWithSignature(c, 3e6, 0, sig);
        assertEq(token.balanceOf(payer), 1_000e6 - 7e6);
        vm.expectRevert(
            abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_InvalidRefundNonce.selector, id, 0, 1)
        );
        escrow.refundWithSignature(c, 3e6, 0, sig);
        // A signature for the next nonce by someone else is refused.
        (v, r, s) = vm.sign(payerPk, escrow.getRefundDigest(id, 1, 3e6));
        vm.expectRevert(abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_InvalidRefundSignature.selector, id));
        escrow.refundWithSignature(c, 3e6, 1, abi.encodePacked(r, s, v));
    }

    function test_RevertWhen_RefundByStranger() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_NotReceiver.selector, id, payer));
        escrow.refund(c, 1e6);
    }

    function test_Multicall_ClaimThenRefund() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        IX402BatchSettlement.VoucherClaim[] memory claims = _one(_claimOf(c, 7e6, 7e6));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(receiverAuthorizerPk, escrow.getClaimBatchDigest(claims));
        (uint8 rv, bytes32 rr, bytes32 rs) = vm.sign(receiverAuthorizerPk, escrow.getRefundDigest(id, 0, 10e6));
        bytes[] memory calls = new bytes[](2);
        calls[0] = abi.encodeCall(escrow.claimWithSignature, (claims, abi.encodePacked(r, s, v)));
        calls[1] = abi.encodeCall(escrow.refundWithSignature, (c, uint128(10e6), 0, abi.encodePacked(rr, rs, rv)));
        escrow.multicall(calls);
        assertEq(token.balanceOf(payer), 1_000e6 - 7e6);
        (uint128 balance, uint128 claimed) = _balance(id);
        assertEq(balance, 7e6);
        assertEq(claimed, 7e6);
    }

    // ------------------------------------------------------------------ withdraw delay

    function test_Withdraw_AfterTheDelay() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        vm.prank(payer);
        escrow.initiateWithdraw(c, 10e6);
        (uint128 amount, uint40 at) = escrow.pendingWithdrawals(id);
        assertEq(amount, 10e6);
        assertEq(at, block.timestamp);
        vm.warp(block.timestamp + DELAY - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                X402BatchSettlement.X402BatchSettlement_WithdrawDelayNotElapsed.selector, id, uint256(at) + DELAY
            )
        );
        escrow.finalizeWithdraw(c);
        vm.warp(block.timestamp + 1);
        escrow.finalizeWithdraw(c);
        assertEq(token.balanceOf(payer), 1_000e6);
        (uint128 balance,) = _balance(id);
        assertEq(balance, 0);
        vm.expectRevert(abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_NoPendingWithdrawal.selector, id));
        escrow.finalizeWithdraw(c);
    }

    function test_Withdraw_ReceiverClaimsDuringTheDelay() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        vm.prank(payer);
        escrow.initiateWithdraw(c, 10e6);
        vm.warp(block.timestamp + DELAY / 2);
        IX402BatchSettlement.VoucherClaim[] memory claims = _one(_claimOf(c, 6e6, 6e6));
        vm.prank(receiverAuthorizer);
        escrow.claim(claims);
        vm.warp(block.timestamp + DELAY);
        escrow.finalizeWithdraw(c);
        assertEq(token.balanceOf(payer), 1_000e6 - 6e6);
        escrow.settle(receiver, address(token));
        assertEq(token.balanceOf(receiver), 6e6);
        (uint128 balance, uint128 claimed) = _balance(id);
        assertEq(balance, 6e6);
        assertEq(claimed, 6e6);
    }

    function test_RevertWhen_InitiateWithdrawNotPayer() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        vm.prank(payerAuthorizer); // the voucher key may not pull the money out
        vm.expectRevert(
            abi.encodeWithSelector(X402BatchSettlement.X402BatchSettlement_NotPayer.selector, id, payerAuthorizer)
        );
        escrow.initiateWithdraw(c, 10e6);
    }

    function test_Refund_CancelsAPendingWithdrawal() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, 10e6);
        vm.prank(payer);
        escrow.initiateWithdraw(c, 10e6);
        vm.prank(receiver);
        escrow.refund(c, 2e6);
        (, uint40 at) = escrow.pendingWithdrawals(id);
        assertEq(at, 0);
    }

    // ------------------------------------------------------------------ reentrancy through the token

    function test_RevertWhen_TokenReentersSettle() public {
        ReentrantToken evil = new ReentrantToken();
        evil.mint(payer, 10e6);
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        c.token = address(evil);
        vm.startPrank(payer);
        evil.approve(address(escrow), 10e6);
        escrow.deposit(c, 10e6, address(0), "");
        vm.stopPrank();
        IX402BatchSettlement.VoucherClaim[] memory claims = _one(_claimOf(c, 5e6, 5e6));
        vm.prank(receiverAuthorizer);
        escrow.claim(claims);
        evil.arm(address(escrow), abi.encodeCall(escrow.settle, (receiver, address(evil))));
        escrow.settle(receiver, address(evil));
        assertTrue(evil.attempted());
        assertFalse(evil.reentrySucceeded());
        assertEq(evil.reentryRevertData(), abi.encodeWithSelector(ReentrancyGuard.ReentrancyGuardReentrantCall.selector));
        assertEq(evil.balanceOf(receiver), 5e6);
        assertEq(evil.balanceOf(address(escrow)), 5e6);
    }

    // ------------------------------------------------------------------ fuzz

    /// @dev Whatever the voucher and claim, the receiver never gets more than the voucher, the balance or
    /// what it claimed; the payer always gets the rest back.
    function testFuzz_ClaimNeverExceedsVoucherOrBalance(uint128 deposit, uint128 max, uint128 total, uint128 refund)
        public
    {
        deposit = uint128(bound(deposit, 1, 1_000e6));
        max = uint128(bound(max, 1, 2_000e6));
        total = uint128(bound(total, 0, 2_000e6));
        IX402BatchSettlement.ChannelConfig memory c = _config(0);
        bytes32 id = _deposit(c, deposit);
        IX402BatchSettlement.VoucherClaim[] memory claims = _one(_claimOf(c, max, total));
        vm.prank(receiverAuthorizer);
        try escrow.claim(claims) {
            assertLe(total, max);
            assertLe(total, deposit);
        } catch {
            assertTrue(total > max || total > deposit);
        }
        (uint128 balance, uint128 claimed) = _balance(id);
        assertLe(claimed, balance);
        if (balance > claimed) {
            vm.prank(receiver);
            escrow.refund(c, uint128(bound(refund, 1, type(uint128).max)));
        }
        if (claimed > 0) escrow.settle(receiver, address(token));
        assertEq(token.balanceOf(receiver), claimed);
        assertGe(token.balanceOf(payer), 1_000e6 - deposit);
        assertEq(token.balanceOf(payer) + token.balanceOf(receiver) + token.balanceOf(address(escrow)), 1_000e6);
    }

    // ------------------------------------------------------------------ helpers

    function _erc3009Data(bytes32 id, uint256 amount, uint256 salt) internal view returns (bytes memory) {
        uint256 validBefore = block.timestamp + 600;
        bytes32 nonce = keccak256(abi.encode(id, salt));
        bytes32 structHash = keccak256(
            abi.encode(token.RECEIVE_WITH_AUTHORIZATION_TYPEHASH(), payer, address(collector), amount, 0, validBefore, nonce)
        );
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(payerPk, keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash)));
        return abi.encode(uint256(0), validBefore, salt, abi.encodePacked(r, s, v));
    }
}
