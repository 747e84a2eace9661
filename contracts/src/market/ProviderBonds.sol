// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title ProviderBonds
/// @notice The bond half of the ComputeMarket: a provider posts a bond in the payment token, and a payer holding the
/// provider's signed receipts can have it slashed to itself for a provable lie.
/// @dev A receipt is the EIP-712 `Receipt(uint256 channelId,bytes32 requestHash,bytes32 responseHash,string model,
/// uint256 tokensIn,uint256 tokensOut,uint256 cost,uint256 spentAfter)` the provider signs for each response, under the
/// market's domain; its step is `spentAfter - cost` (the channel's total before that charge). Two lies are provable:
/// - double signing: two receipts of one channel for the same step with different `spentAfter` (slashed at once);
/// - over-redemption: the channel's on-chain `redeemed` is above the `spentAfter` of a receipt the payer shows. The
///   payer may be hiding later receipts, so the provider has `BOND_RESPONSE_WINDOW` to answer with a receipt of its
///   own that continues the chain (its step at least the accused `spentAfter`) and covers `redeemed`; unanswered, the
///   bond is slashed. An answer is a signed statement like any receipt: if it forks from a receipt the payer holds,
///   that pair is a double signature.
/// A bond leaves only after `BOND_WITHDRAWAL_DELAY` and never while an accusation against its provider is open; what
/// is being withdrawn stays slashable until it is withdrawn.
abstract contract ProviderBonds is EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ------------------------------------------------------------------ errors

    /// @notice A bond amount of zero, or above what is bonded.
    error ComputeMarket_InvalidBondAmount(uint256 amount, uint256 bonded);
    /// @notice Nothing is being withdrawn, or the delay is not over (`withdrawableAt`).
    error ComputeMarket_BondLocked(address provider, uint64 withdrawableAt);
    /// @notice The provider has open accusations: its bond cannot leave until they are settled.
    error ComputeMarket_BondAccused(address provider, uint256 openAccusations);
    /// @notice A receipt is not the channel provider's signature, or names another channel.
    error ComputeMarket_InvalidReceipt(uint256 channelId);
    /// @notice The two receipts are not a double signature (another channel or step, or the same total).
    error ComputeMarket_NotDoubleSigned(uint256 channelId);
    /// @notice `redeemed` is not above the receipt's `spentAfter`: no over-redemption.
    error ComputeMarket_NotOverRedeemed(uint256 channelId, uint256 redeemed, uint256 spentAfter);
    /// @notice An accusation is already open on the channel, or none is.
    error ComputeMarket_AccusationState(uint256 channelId, bool open);
    /// @notice The response window is over (answering) or still open (slashing).
    error ComputeMarket_ResponseWindow(uint256 channelId, uint64 deadline);
    /// @notice The answer does not continue the accused chain or does not cover `redeemed`.
    error ComputeMarket_InvalidAnswer(uint256 channelId);
    /// @notice The provider has no bond to slash.
    error ComputeMarket_NothingToSlash(address provider);

    // ------------------------------------------------------------------ events

    /// @notice `provider` added `amount` to its bond (now `bonded`).
    event BondDeposited(address indexed provider, uint256 amount, uint256 bonded);
    /// @notice `provider` started withdrawing `amount` (in total `withdrawing`), available at `withdrawableAt`.
    event BondWithdrawalRequested(address indexed provider, uint256 amount, uint256 withdrawing, uint64 withdrawableAt);
    /// @notice `provider` withdrew `amount`.
    event BondWithdrawn(address indexed provider, uint256 amount);
    /// @notice The payer accused the provider of redeeming `redeemed`, above the `spentAfter` it signed.
    event OverRedemptionAccused(uint256 indexed channelId, address indexed provider, uint256 spentAfter, uint256 redeemed, uint64 deadline);
    /// @notice The provider answered with a signed receipt continuing the chain to `spentAfter` (from `step`).
    event OverRedemptionAnswered(uint256 indexed channelId, address indexed provider, uint256 step, uint256 spentAfter);
    /// @notice `amount` of `provider`'s bond went to `payer` for a lie on `channelId` (`reason`: 0 double signing, 1 over-redemption).
    event BondSlashed(address indexed provider, address indexed payer, uint256 indexed channelId, uint256 amount, uint8 reason);

    // ------------------------------------------------------------------ storage

    /// @notice EIP-712 type hash of a provider's receipt.
    bytes32 public constant RECEIPT_TYPEHASH = keccak256(
        "Receipt(uint256 channelId,bytes32 requestHash,bytes32 responseHash,string model,uint256 tokensIn,uint256 tokensOut,uint256 cost,uint256 spentAfter)"
    );
    /// @notice Seconds between requesting a bond withdrawal and withdrawing it.
    uint64 public constant BOND_WITHDRAWAL_DELAY = 7 days;
    /// @notice Seconds a provider has to answer an over-redemption accusation.
    uint64 public constant BOND_RESPONSE_WINDOW = 1 days;

    /// @notice A provider's signed statement for one response (see the contract's notes).
    struct Receipt {
        uint256 channelId;
        bytes32 requestHash;
        bytes32 responseHash;
        string model;
        uint256 tokensIn;
        uint256 tokensOut;
        uint256 cost;
        uint256 spentAfter;
    }

    /// @notice A provider's bond.
    struct Bond {
        uint256 bonded;
        uint256 withdrawing;
        uint64 withdrawableAt;
        uint32 openAccusations;
    }

    /// @dev An open over-redemption accusation on a channel.
    struct Accusation {
        uint256 spentAfter;
        uint64 deadline;
    }

    mapping(address provider => Bond) private _bonds;
    mapping(uint256 channelId => Accusation) private _accusations;

    // ------------------------------------------------------------------ external

    /// @notice Adds `amount` of the payment token (approved to the market) to msg.sender's bond.
    /// @dev Emits `BondDeposited`.
    /// @param amount Token units, > 0.
    function depositBond(uint256 amount) external nonReentrant {
        _depositBond(amount);
    }

    /// @notice Starts withdrawing `amount` of msg.sender's bond; it can leave after `BOND_WITHDRAWAL_DELAY` (the delay
    /// restarts with each request) and stays slashable until then.
    /// @dev Emits `BondWithdrawalRequested`.
    /// @param amount Token units, > 0 and at most what is bonded.
    function requestBondWithdrawal(uint256 amount) external {
        Bond storage b = _bonds[msg.sender];
        if (amount == 0 || amount > b.bonded) revert ComputeMarket_InvalidBondAmount(amount, b.bonded);
        b.bonded -= amount;
        b.withdrawing += amount;
        uint64 at = uint64(block.timestamp) + BOND_WITHDRAWAL_DELAY;
        b.withdrawableAt = at;
        emit BondWithdrawalRequested(msg.sender, amount, b.withdrawing, at);
    }

    /// @notice Withdraws what msg.sender requested once the delay is over and no accusation against it is open.
    /// @dev Emits `BondWithdrawn`.
    function withdrawBond() external nonReentrant {
        Bond storage b = _bonds[msg.sender];
        uint256 amount = b.withdrawing;
        if (amount == 0 || block.timestamp < b.withdrawableAt) revert ComputeMarket_BondLocked(msg.sender, b.withdrawableAt);
        if (b.openAccusations != 0) revert ComputeMarket_BondAccused(msg.sender, b.openAccusations);
        b.withdrawing = 0;
        emit BondWithdrawn(msg.sender, amount);
        _bondToken().safeTransfer(msg.sender, amount);
    }

    /// @notice Proves that the channel's provider signed two different totals after the same step; its whole bond goes
    /// to the channel's payer. Anyone may submit the proof.
    /// @dev Emits `BondSlashed` (reason 0).
    /// @param a One receipt. @param signatureA Its 65-byte signature.
    /// @param b Another receipt of the same channel and step. @param signatureB Its signature.
    function proveDoubleSigning(Receipt calldata a, bytes calldata signatureA, Receipt calldata b, bytes calldata signatureB)
        external
        nonReentrant
    {
        uint256 channelId = a.channelId;
        (address payer, address provider,) = _channelParties(channelId);
        _requireReceipt(provider, channelId, a, signatureA);
        _requireReceipt(provider, channelId, b, signatureB);
        if (a.spentAfter == b.spentAfter || a.spentAfter - a.cost != b.spentAfter - b.cost) {
            revert ComputeMarket_NotDoubleSigned(channelId);
        }
        _slash(provider, payer, channelId, 0);
    }

    /// @notice The channel's payer shows a receipt of the provider whose `spentAfter` is below what the provider
    /// redeemed on chain. Unless the provider answers within `BOND_RESPONSE_WINDOW`, its bond can be slashed to the payer.
    /// @dev Emits `OverRedemptionAccused`.
    /// @param receipt The provider's receipt. @param signature Its 65-byte signature.
    function accuseOverRedemption(Receipt calldata receipt, bytes calldata signature) external {
        uint256 channelId = receipt.channelId;
        (address payer, address provider, uint256 redeemed) = _channelParties(channelId);
        if (msg.sender != payer) revert ComputeMarket_InvalidReceipt(channelId);
        _requireReceipt(provider, channelId, receipt, signature);
        if (redeemed <= receipt.spentAfter) revert ComputeMarket_NotOverRedeemed(channelId, redeemed, receipt.spentAfter);
        Accusation storage accusation = _accusations[channelId];
        if (accusation.deadline != 0) revert ComputeMarket_AccusationState(channelId, true);
        uint64 deadline = uint64(block.timestamp) + BOND_RESPONSE_WINDOW;
        accusation.spentAfter = receipt.spentAfter;
        accusation.deadline = deadline;
        _bonds[provider].openAccusations += 1;
        emit OverRedemptionAccused(channelId, provider, receipt.spentAfter, redeemed, deadline);
    }

    /// @notice The provider answers an accusation with a receipt of its own that continues the chain past the accused
    /// total (its step at least the accused `spentAfter`) and covers what it redeemed.
    /// @dev Emits `OverRedemptionAnswered`.
    /// @param receipt The provider's later receipt. @param signature Its 65-byte signature.
    function answerOverRedemption(Receipt calldata receipt, bytes calldata signature) external {
        uint256 channelId = receipt.channelId;
        (, address provider, uint256 redeemed) = _channelParties(channelId);
        Accusation memory accusation = _accusations[channelId];
        if (accusation.deadline == 0) revert ComputeMarket_AccusationState(channelId, false);
        if (block.timestamp > accusation.deadline) revert ComputeMarket_ResponseWindow(channelId, accusation.deadline);
        _requireReceipt(provider, channelId, receipt, signature);
        if (receipt.cost > receipt.spentAfter) revert ComputeMarket_InvalidAnswer(channelId);
        uint256 step = receipt.spentAfter - receipt.cost;
        if (step < accusation.spentAfter || receipt.spentAfter < redeemed) revert ComputeMarket_InvalidAnswer(channelId);
        delete _accusations[channelId];
        _bonds[provider].openAccusations -= 1;
        emit OverRedemptionAnswered(channelId, provider, step, receipt.spentAfter);
    }

    /// @notice Slashes the provider of an unanswered accusation once its window is over; the bond goes to the payer.
    /// Anyone may call it.
    /// @dev Emits `BondSlashed` (reason 1).
    /// @param channelId The accused channel.
    function slashOverRedemption(uint256 channelId) external nonReentrant {
        Accusation memory accusation = _accusations[channelId];
        if (accusation.deadline == 0) revert ComputeMarket_AccusationState(channelId, false);
        if (block.timestamp <= accusation.deadline) revert ComputeMarket_ResponseWindow(channelId, accusation.deadline);
        (address payer, address provider,) = _channelParties(channelId);
        delete _accusations[channelId];
        _bonds[provider].openAccusations -= 1;
        _slash(provider, payer, channelId, 1);
    }

    /// @notice A provider's bond: bonded, being withdrawn, when it can leave, and open accusations.
    /// @param provider The provider.
    /// @return The bond.
    function bondOf(address provider) external view returns (Bond memory) {
        return _bonds[provider];
    }

    /// @notice The open accusation on a channel (deadline 0 when none).
    /// @param channelId The channel.
    /// @return spentAfter The accused total. @return deadline End of the provider's response window.
    function accusationOf(uint256 channelId) external view returns (uint256 spentAfter, uint64 deadline) {
        Accusation memory a = _accusations[channelId];
        return (a.spentAfter, a.deadline);
    }

    /// @notice The EIP-712 digest a provider signs for a receipt on this market and chain.
    /// @param receipt The receipt.
    /// @return The digest.
    function receiptDigest(Receipt calldata receipt) external view returns (bytes32) {
        return _receiptDigest(receipt);
    }

    // ------------------------------------------------------------------ internal

    /// @dev The payment token (bonds are posted in it).
    function _bondToken() internal view virtual returns (IERC20);

    /// @dev A channel's payer, provider and redeemed total; reverts for an unknown channel.
    function _channelParties(uint256 channelId) internal view virtual returns (address payer, address provider, uint256 redeemed);

    /// @dev Pulls `amount` from msg.sender into its bond.
    function _depositBond(uint256 amount) internal {
        Bond storage b = _bonds[msg.sender];
        if (amount == 0) revert ComputeMarket_InvalidBondAmount(amount, b.bonded);
        b.bonded += amount;
        emit BondDeposited(msg.sender, amount, b.bonded);
        _bondToken().safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @dev Sends the provider's whole bond (bonded and being withdrawn) to the payer.
    function _slash(address provider, address payer, uint256 channelId, uint8 reason) private {
        Bond storage b = _bonds[provider];
        uint256 amount = b.bonded + b.withdrawing;
        if (amount == 0) revert ComputeMarket_NothingToSlash(provider);
        b.bonded = 0;
        b.withdrawing = 0;
        emit BondSlashed(provider, payer, channelId, amount, reason);
        _bondToken().safeTransfer(payer, amount);
    }

    /// @dev Reverts unless `receipt` names `channelId` and carries `provider`'s ECDSA signature.
    function _requireReceipt(address provider, uint256 channelId, Receipt calldata receipt, bytes calldata signature) private view {
        if (receipt.channelId != channelId || signature.length != 65) revert ComputeMarket_InvalidReceipt(channelId);
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(_receiptDigest(receipt), signature);
        if (err != ECDSA.RecoverError.NoError || signer != provider) revert ComputeMarket_InvalidReceipt(channelId);
    }

    /// @dev EIP-712 digest of a receipt under this market's domain.
    function _receiptDigest(Receipt calldata r) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    RECEIPT_TYPEHASH,
                    r.channelId,
                    r.requestHash,
                    r.responseHash,
                    keccak256(bytes(r.model)),
                    r.tokensIn,
                    r.tokensOut,
                    r.cost,
                    r.spentAfter
                )
            )
        );
    }
}
