// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccount} from "@account-abstraction/contracts/interfaces/IAccount.sol";
import {IAccountExecute} from "@account-abstraction/contracts/interfaces/IAccountExecute.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {
    SIG_VALIDATION_FAILED,
    _packValidationData
} from "@account-abstraction/contracts/core/Helpers.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

/// @title ERC4337Account
/// @notice ERC-4337 (EntryPoint v0.7) support for session keys. The owner acts with plain transactions.
/// @dev UserOperation format (fixed):
/// - `signature = abi.encodePacked(address sessionKey, bytes sig65)` (85 bytes), where `sig65` is the
///   key's ECDSA signature (r, s, v) over `toEthSignedMessageHash(userOpHash)`, i.e. viem
///   `signMessage({ message: { raw: userOpHash } })`;
/// - `callData = abi.encodePacked(IAccountExecute.executeUserOp.selector, innerCall)` where
///   `innerCall` is the ABI-encoded `execute(...)` or `executeBatch(...)` call. The EntryPoint then
///   calls `executeUserOp(userOp, userOpHash)` and the account runs `innerCall` as the session key.
/// Validation reads only this account's storage (ERC-7562): signature, known session, and the
/// (operation, target, selector) scope of every inner operation; the session window is returned in the
/// validation data. Owner binding, call counts and budgets are checked when the operation executes.
abstract contract ERC4337Account is IAccount, IAccountExecute {
    // ----------------------------------------------------------------- errors

    /// @notice Only the EntryPoint may call this function.
    error ERC4337Account_NotEntryPoint(address caller);
    /// @notice The userOp callData must start with `executeUserOp.selector`.
    error ERC4337Account_InvalidCallData(bytes4 selector);

    // ---------------------------------------------------------------- storage

    /// @dev Length of `abi.encodePacked(address sessionKey, bytes sig65)`.
    uint256 private constant _SIGNATURE_LENGTH = 85;

    /// @dev The trusted EntryPoint (v0.7).
    IEntryPoint private immutable _entryPoint;

    // ------------------------------------------------------------ constructor

    /// @param entryPoint_ The EntryPoint v0.7 (0x0000000071727De22E5E9d8BAf0edAc6f37da032 in production).
    constructor(IEntryPoint entryPoint_) {
        _entryPoint = entryPoint_;
    }

    // --------------------------------------------------------------- external

    /// @notice Validates a session-key userOp; EntryPoint only. Pays the missing prefund.
    /// @param userOp The userOp (format in the contract notes).
    /// @param userOpHash The hash the session key signed (as an EIP-191 personal message).
    /// @param missingAccountFunds What the account must deposit to the EntryPoint.
    /// @return validationData 1 (SIG_VALIDATION_FAILED) for a bad signature or unknown key, else the
    /// session's validAfter / validUntil packed. Reverts on an out-of-scope operation.
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash, uint256 missingAccountFunds)
        external
        returns (uint256 validationData)
    {
        _onlyEntryPoint();
        validationData = _validateSessionUserOp(userOp, userOpHash);
        if (missingAccountFunds != 0) {
            // The EntryPoint checks the deposit; ignoring the result is the v0.7 convention.
            (bool ok,) = payable(msg.sender).call{value: missingAccountFunds}("");
            (ok);
        }
    }

    /// @notice Runs the inner `execute`/`executeBatch` call of a validated userOp as its session key;
    /// EntryPoint only.
    /// @param userOp The userOp; its session key is `signature[0:20]` (proved by validation).
    function executeUserOp(PackedUserOperation calldata userOp, bytes32) external {
        _onlyEntryPoint();
        _executeSessionCall(address(bytes20(userOp.signature[0:20])), userOp.callData[4:]);
    }

    /// @notice The EntryPoint this account trusts.
    /// @return The EntryPoint.
    function entryPoint() public view returns (IEntryPoint) {
        return _entryPoint;
    }

    /// @notice The account's next EntryPoint nonce for key 0.
    /// @return The nonce.
    function getNonce() external view returns (uint256) {
        return _entryPoint.getNonce(address(this), 0);
    }

    // --------------------------------------------------------------- internal

    /// @dev Checks the scope of the encoded inner call for session `key` (own storage only).
    /// @return known False if `key` has no session.
    function _checkSessionCall(address key, bytes calldata call)
        internal
        view
        virtual
        returns (bool known, uint48 validAfter, uint48 validUntil);

    /// @dev Runs the encoded inner call as session `key`, charging its policy.
    function _executeSessionCall(address key, bytes calldata call) internal virtual;

    /// @dev Signature, callData shape and session scope.
    function _validateSessionUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash)
        private
        view
        returns (uint256)
    {
        bytes calldata callData = userOp.callData;
        bytes4 selector = callData.length < 4 ? bytes4(0) : bytes4(callData[:4]);
        if (selector != IAccountExecute.executeUserOp.selector) revert ERC4337Account_InvalidCallData(selector);

        bytes calldata signature = userOp.signature;
        if (signature.length != _SIGNATURE_LENGTH) return SIG_VALIDATION_FAILED;
        address key = address(bytes20(signature[0:20]));
        (address recovered, ECDSA.RecoverError error_,) =
            ECDSA.tryRecover(MessageHashUtils.toEthSignedMessageHash(userOpHash), signature[20:]);
        if (error_ != ECDSA.RecoverError.NoError || recovered != key) return SIG_VALIDATION_FAILED;

        (bool known, uint48 validAfter, uint48 validUntil) = _checkSessionCall(key, callData[4:]);
        if (!known) return SIG_VALIDATION_FAILED;
        return _packValidationData(false, validUntil, validAfter);
    }

    /// @dev Reverts unless the caller is the EntryPoint.
    function _onlyEntryPoint() private view {
        if (msg.sender != address(_entryPoint)) revert ERC4337Account_NotEntryPoint(msg.sender);
    }
}
