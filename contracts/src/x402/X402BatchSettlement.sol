// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {IX402BatchSettlement} from "./IX402BatchSettlement.sol";
import {IDepositCollector} from "./IDepositCollector.sol";

/// @title X402BatchSettlement
/// @notice y2c's own implementation of the x402 v2 `batch-settlement` escrow, ABI-compatible with what
/// the official x402 EVM package 2.27 calls, written from its published ABI and EIP-712 types. On the devnet its runtime code is
/// placed at the canonical address 0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003 (the client hard-codes it).
/// @dev Invariants: a channel's `totalClaimed` never exceeds its `balance` nor any voucher its payer authorized;
/// a receiver's `totalSettled` never exceeds its `totalClaimed`; the contract holds, per token, at least every
/// channel's unclaimed balance plus every receiver's claimed-but-unsettled amount. No owner, no upgrade.
/// Immutables (EIP-712 name and version hashes) live in the runtime code; the domain separator is rebuilt
/// when the code runs at another address than the one it was deployed at, so the copy signs for its own address.
contract X402BatchSettlement is IX402BatchSettlement, EIP712, ReentrancyGuard, Multicall {
    using SafeERC20 for IERC20;

    // ------------------------------------------------------------------ errors

    /// @notice `withdrawDelay` is outside [MIN_WITHDRAW_DELAY, MAX_WITHDRAW_DELAY].
    error X402BatchSettlement_WithdrawDelayOutOfRange(uint40 withdrawDelay);
    /// @notice A zero amount was given.
    error X402BatchSettlement_ZeroAmount();
    /// @notice The config has a zero payer, receiver, receiver authorizer or token.
    error X402BatchSettlement_InvalidConfig();
    /// @notice The escrow received `received`, not the `amount` deposited.
    error X402BatchSettlement_DepositMismatch(uint256 amount, uint256 received);
    /// @notice The channel's balance would overflow uint128.
    error X402BatchSettlement_BalanceOverflow(bytes32 channelId);
    /// @notice The voucher's signature does not come from the payer's authorizer.
    error X402BatchSettlement_InvalidVoucherSignature(bytes32 channelId);
    /// @notice The claim's total is above the voucher's `maxClaimableAmount`.
    error X402BatchSettlement_ClaimExceedsVoucher(bytes32 channelId, uint128 totalClaimed, uint128 maxClaimableAmount);
    /// @notice The claim's total is above the channel's balance.
    error X402BatchSettlement_ClaimExceedsBalance(bytes32 channelId, uint128 totalClaimed, uint128 balance);
    /// @notice `caller` is not the receiver authorizer of `channelId`.
    error X402BatchSettlement_NotReceiverAuthorizer(bytes32 channelId, address caller);
    /// @notice The claim batch's signature does not come from a receiver authorizer of `channelId`.
    error X402BatchSettlement_InvalidClaimSignature(bytes32 channelId);
    /// @notice The receiver has nothing to settle in `token`.
    error X402BatchSettlement_NothingToSettle(address receiver, address token);
    /// @notice `caller` is neither the receiver nor the receiver authorizer of `channelId`.
    error X402BatchSettlement_NotReceiver(bytes32 channelId, address caller);
    /// @notice The refund's signature does not come from the receiver authorizer.
    error X402BatchSettlement_InvalidRefundSignature(bytes32 channelId);
    /// @notice The refund nonce is `given`, the channel expects `expected`.
    error X402BatchSettlement_InvalidRefundNonce(bytes32 channelId, uint256 given, uint256 expected);
    /// @notice The channel has no unclaimed balance to return.
    error X402BatchSettlement_NothingToRefund(bytes32 channelId);
    /// @notice `caller` is not the payer of `channelId`.
    error X402BatchSettlement_NotPayer(bytes32 channelId, address caller);
    /// @notice `channelId` has no pending withdrawal.
    error X402BatchSettlement_NoPendingWithdrawal(bytes32 channelId);
    /// @notice The withdraw delay of `channelId` ends at `readyAt`.
    error X402BatchSettlement_WithdrawDelayNotElapsed(bytes32 channelId, uint256 readyAt);

    // ------------------------------------------------------------------ storage

    /// @notice Shortest withdraw delay a channel may carry (15 minutes), as the x402 spec bounds it.
    uint40 public constant MIN_WITHDRAW_DELAY = 900;
    /// @notice Longest withdraw delay a channel may carry (30 days).
    uint40 public constant MAX_WITHDRAW_DELAY = 30 days;

    /// @notice keccak256 of the EIP-712 `ChannelConfig` type.
    bytes32 public constant CHANNEL_CONFIG_TYPEHASH = keccak256(
        "ChannelConfig(address payer,address payerAuthorizer,address receiver,address receiverAuthorizer,address token,uint40 withdrawDelay,bytes32 salt)"
    );
    /// @notice keccak256 of the EIP-712 `Voucher` type.
    bytes32 public constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 channelId,uint128 maxClaimableAmount)");
    /// @notice keccak256 of the EIP-712 `Refund` type.
    bytes32 public constant REFUND_TYPEHASH = keccak256("Refund(bytes32 channelId,uint256 nonce,uint128 amount)");
    /// @notice keccak256 of the EIP-712 `ClaimBatch` type (with its `ClaimEntry`).
    bytes32 public constant CLAIM_BATCH_TYPEHASH = keccak256(
        "ClaimBatch(ClaimEntry[] claims)ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)"
    );
    /// @notice keccak256 of the EIP-712 `ClaimEntry` type.
    bytes32 public constant CLAIM_ENTRY_TYPEHASH =
        keccak256("ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)");

    struct ChannelState {
        uint128 balance;
        uint128 totalClaimed;
    }

    struct PendingWithdrawal {
        uint128 amount;
        uint40 initiatedAt;
    }

    struct ReceiverState {
        uint128 totalClaimed;
        uint128 totalSettled;
    }

    /// @inheritdoc IX402BatchSettlement
    mapping(bytes32 channelId => ChannelState) public channels;
    /// @inheritdoc IX402BatchSettlement
    mapping(bytes32 channelId => PendingWithdrawal) public pendingWithdrawals;
    /// @inheritdoc IX402BatchSettlement
    mapping(address receiver => mapping(address token => ReceiverState)) public receivers;
    /// @inheritdoc IX402BatchSettlement
    mapping(bytes32 channelId => uint256) public refundNonce;

    // ------------------------------------------------------------------ constructor

    constructor() EIP712("x402 Batch Settlement", "1") {}

    // ------------------------------------------------------------------ external

    /// @inheritdoc IX402BatchSettlement
    function deposit(ChannelConfig calldata config, uint128 amount, address collector, bytes calldata collectorData)
        external
        nonReentrant
    {
        if (amount == 0) revert X402BatchSettlement_ZeroAmount();
        if (
            config.payer == address(0) || config.receiver == address(0) || config.receiverAuthorizer == address(0)
                || config.token == address(0)
        ) revert X402BatchSettlement_InvalidConfig();
        if (config.withdrawDelay < MIN_WITHDRAW_DELAY || config.withdrawDelay > MAX_WITHDRAW_DELAY) {
            revert X402BatchSettlement_WithdrawDelayOutOfRange(config.withdrawDelay);
        }
        bytes32 channelId = _channelId(config);
        ChannelState storage channel = channels[channelId];
        if (uint256(channel.balance) + amount > type(uint128).max) revert X402BatchSettlement_BalanceOverflow(channelId);

        IERC20 token = IERC20(config.token);
        uint256 before = token.balanceOf(address(this));
        if (collector == address(0)) {
            token.safeTransferFrom(msg.sender, address(this), amount);
        } else {
            IDepositCollector(collector).collect(config.payer, config.token, amount, channelId, collectorData);
        }
        uint256 received = token.balanceOf(address(this)) - before;
        // Credit only what arrived: a lying collector or a fee-on-transfer token cannot mint balance.
        if (received != amount) revert X402BatchSettlement_DepositMismatch(amount, received);

        channel.balance += amount;
        emit Deposited(channelId, config.payer, collector, amount);
    }

    /// @inheritdoc IX402BatchSettlement
    function claim(VoucherClaim[] calldata voucherClaims) external nonReentrant {
        for (uint256 i = 0; i < voucherClaims.length; ++i) {
            ChannelConfig calldata config = voucherClaims[i].voucher.channel;
            if (msg.sender != config.receiverAuthorizer) {
                revert X402BatchSettlement_NotReceiverAuthorizer(_channelId(config), msg.sender);
            }
            _claim(voucherClaims[i]);
        }
    }

    /// @inheritdoc IX402BatchSettlement
    function claimWithSignature(VoucherClaim[] calldata voucherClaims, bytes calldata authorizerSignature)
        external
        nonReentrant
    {
        bytes32 digest = _claimBatchDigest(voucherClaims);
        address approved; // the last authorizer whose signature checked out, to skip re-checking the same one
        for (uint256 i = 0; i < voucherClaims.length; ++i) {
            address authorizer = voucherClaims[i].voucher.channel.receiverAuthorizer;
            if (authorizer != approved) {
                if (!SignatureChecker.isValidSignatureNow(authorizer, digest, authorizerSignature)) {
                    revert X402BatchSettlement_InvalidClaimSignature(_channelId(voucherClaims[i].voucher.channel));
                }
                approved = authorizer;
            }
            _claim(voucherClaims[i]);
        }
    }

    /// @inheritdoc IX402BatchSettlement
    function settle(address receiver, address token) external nonReentrant {
        ReceiverState storage state = receivers[receiver][token];
        uint128 amount = state.totalClaimed - state.totalSettled;
        if (amount == 0) revert X402BatchSettlement_NothingToSettle(receiver, token);
        state.totalSettled = state.totalClaimed;
        IERC20(token).safeTransfer(receiver, amount);
        emit Settled(receiver, token, msg.sender, amount);
    }

    /// @inheritdoc IX402BatchSettlement
    function initiateWithdraw(ChannelConfig calldata config, uint128 amount) external nonReentrant {
        bytes32 channelId = _channelId(config);
        if (msg.sender != config.payer) revert X402BatchSettlement_NotPayer(channelId, msg.sender);
        if (amount == 0) revert X402BatchSettlement_ZeroAmount();
        uint40 nowTs = uint40(block.timestamp);
        pendingWithdrawals[channelId] = PendingWithdrawal({amount: amount, initiatedAt: nowTs});
        emit WithdrawInitiated(channelId, config.payer, amount, nowTs);
    }

    /// @inheritdoc IX402BatchSettlement
    function finalizeWithdraw(ChannelConfig calldata config) external nonReentrant {
        bytes32 channelId = _channelId(config);
        PendingWithdrawal memory pending = pendingWithdrawals[channelId];
        if (pending.initiatedAt == 0) revert X402BatchSettlement_NoPendingWithdrawal(channelId);
        uint256 readyAt = uint256(pending.initiatedAt) + config.withdrawDelay;
        if (block.timestamp < readyAt) revert X402BatchSettlement_WithdrawDelayNotElapsed(channelId, readyAt);
        delete pendingWithdrawals[channelId];
        ChannelState storage channel = channels[channelId];
        uint128 available = channel.balance - channel.totalClaimed;
        uint128 amount = pending.amount < available ? pending.amount : available;
        channel.balance -= amount;
        if (amount > 0) IERC20(config.token).safeTransfer(config.payer, amount);
        emit Withdrawn(channelId, config.payer, amount);
    }

    /// @inheritdoc IX402BatchSettlement
    function refund(ChannelConfig calldata config, uint128 amount) external nonReentrant {
        bytes32 channelId = _channelId(config);
        if (msg.sender != config.receiver && msg.sender != config.receiverAuthorizer) {
            revert X402BatchSettlement_NotReceiver(channelId, msg.sender);
        }
        _refund(channelId, config, amount);
    }

    /// @inheritdoc IX402BatchSettlement
    function refundWithSignature(
        ChannelConfig calldata config,
        uint128 amount,
        uint256 nonce,
        bytes calldata receiverAuthorizerSignature
    ) external nonReentrant {
        bytes32 channelId = _channelId(config);
        uint256 expected = refundNonce[channelId];
        if (nonce != expected) revert X402BatchSettlement_InvalidRefundNonce(channelId, nonce, expected);
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(REFUND_TYPEHASH, channelId, nonce, amount)));
        if (!SignatureChecker.isValidSignatureNow(config.receiverAuthorizer, digest, receiverAuthorizerSignature)) {
            revert X402BatchSettlement_InvalidRefundSignature(channelId);
        }
        _refund(channelId, config, amount);
    }

    /// @inheritdoc IX402BatchSettlement
    function getChannelId(ChannelConfig calldata config) external view returns (bytes32) {
        return _channelId(config);
    }

    /// @inheritdoc IX402BatchSettlement
    function getVoucherDigest(bytes32 channelId, uint128 maxClaimableAmount) external view returns (bytes32) {
        return _voucherDigest(channelId, maxClaimableAmount);
    }

    /// @inheritdoc IX402BatchSettlement
    function getRefundDigest(bytes32 channelId, uint256 nonce, uint128 amount) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(REFUND_TYPEHASH, channelId, nonce, amount)));
    }

    /// @inheritdoc IX402BatchSettlement
    function getClaimBatchDigest(VoucherClaim[] calldata voucherClaims) external view returns (bytes32) {
        return _claimBatchDigest(voucherClaims);
    }

    // ------------------------------------------------------------------ internal

    /// @dev Checks the payer's voucher and raises the channel's running total to `c.totalClaimed`. A total at or
    /// below what was already claimed is a no-op, so a replayed claim cannot pay twice nor sink a whole batch.
    function _claim(VoucherClaim calldata c) private {
        ChannelConfig calldata config = c.voucher.channel;
        bytes32 channelId = _channelId(config);
        uint128 maxClaimable = c.voucher.maxClaimableAmount;
        bytes32 digest = _voucherDigest(channelId, maxClaimable);
        bool valid;
        if (config.payerAuthorizer != address(0)) {
            (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, c.signature);
            valid = err == ECDSA.RecoverError.NoError && recovered == config.payerAuthorizer;
        } else {
            valid = SignatureChecker.isValidSignatureNow(config.payer, digest, c.signature);
        }
        if (!valid) revert X402BatchSettlement_InvalidVoucherSignature(channelId);
        if (c.totalClaimed > maxClaimable) {
            revert X402BatchSettlement_ClaimExceedsVoucher(channelId, c.totalClaimed, maxClaimable);
        }
        ChannelState storage channel = channels[channelId];
        if (c.totalClaimed > channel.balance) {
            revert X402BatchSettlement_ClaimExceedsBalance(channelId, c.totalClaimed, channel.balance);
        }
        if (c.totalClaimed <= channel.totalClaimed) return;
        uint128 delta = c.totalClaimed - channel.totalClaimed;
        channel.totalClaimed = c.totalClaimed;
        receivers[config.receiver][config.token].totalClaimed += delta;
        emit Claimed(channelId, config.receiver, delta, c.totalClaimed);
    }

    /// @dev Returns up to `amount` of the unclaimed balance to the payer, bumps the refund nonce and cancels a
    /// pending withdrawal (the refund is the cooperative exit).
    function _refund(bytes32 channelId, ChannelConfig calldata config, uint128 amount) private {
        ChannelState storage channel = channels[channelId];
        uint128 available = channel.balance - channel.totalClaimed;
        uint128 paid = amount < available ? amount : available;
        if (paid == 0) revert X402BatchSettlement_NothingToRefund(channelId);
        channel.balance -= paid;
        uint256 nonce = refundNonce[channelId]++;
        delete pendingWithdrawals[channelId];
        IERC20(config.token).safeTransfer(config.payer, paid);
        emit Refunded(channelId, config.payer, paid, nonce);
    }

    function _channelId(ChannelConfig calldata config) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    CHANNEL_CONFIG_TYPEHASH,
                    config.payer,
                    config.payerAuthorizer,
                    config.receiver,
                    config.receiverAuthorizer,
                    config.token,
                    config.withdrawDelay,
                    config.salt
                )
            )
        );
    }

    function _voucherDigest(bytes32 channelId, uint128 maxClaimableAmount) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(VOUCHER_TYPEHASH, channelId, maxClaimableAmount)));
    }

    function _claimBatchDigest(VoucherClaim[] calldata voucherClaims) private view returns (bytes32) {
        bytes32[] memory entries = new bytes32[](voucherClaims.length);
        for (uint256 i = 0; i < voucherClaims.length; ++i) {
            VoucherClaim calldata c = voucherClaims[i];
            entries[i] = keccak256(
                abi.encode(
                    CLAIM_ENTRY_TYPEHASH, _channelId(c.voucher.channel), c.voucher.maxClaimableAmount, c.totalClaimed
                )
            );
        }
        return _hashTypedDataV4(keccak256(abi.encode(CLAIM_BATCH_TYPEHASH, keccak256(abi.encodePacked(entries)))));
    }
}
