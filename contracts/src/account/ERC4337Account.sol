// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

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
/// - `nonce = (uint192(uint160(sessionKey)) << 64) | sequence`: each key has its own nonce lane, so no
///   key can consume (and so cancel) another key's pending operations.
/// Validation reads and writes only this account's storage (ERC-7562): signature, nonce lane, known
/// session bound to the current owner epoch, the (operation, target, selector) scope of every inner
/// operation, the fee cap, and the charge of the required prefund to the session's gas allowance; the
/// session window is returned in the validation data. Every
/// validation changes `state()` (the prefund is ETH leaving the account). Owner binding, call counts
/// and budgets are checked again when the operation executes.
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
    /// @return validationData 1 (SIG_VALIDATION_FAILED) for a bad signature, a foreign nonce lane, an
    /// unknown key, a session of a previous owner, a fee above the cap or a prefund above what is left
    /// of the gas allowance; else the session window packed. Reverts on an empty batch or
    /// an out-of-scope operation.
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash, uint256 missingAccountFunds)
        external
        returns (uint256 validationData)
    {
        _onlyEntryPoint();
        validationData = _validateSessionUserOp(userOp, userOpHash);
        _onUserOpValidated();
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

    /// @notice The account's next EntryPoint nonce for key 0 (no session key can use that lane).
    /// @return The nonce.
    function getNonce() external view returns (uint256) {
        return _entryPoint.getNonce(address(this), 0);
    }

    /// @notice The nonce lane of session key `key` (see the contract notes).
    /// @param key The session key.
    /// @return The 192-bit EntryPoint nonce key.
    function sessionNonceKey(address key) public pure returns (uint192) {
        return uint192(uint160(key));
    }

    // --------------------------------------------------------------- internal

    /// @dev Checks the encoded inner call for session `key` and charges `prefund` to its gas allowance
    /// (own storage only; see `SessionKeys._validateSessionOps`).
    /// @return valid False if the operation must fail validation.
    function _checkSessionCall(address key, bytes calldata call, uint256 maxFeePerGas, uint256 prefund)
        internal
        virtual
        returns (bool valid, uint48 validAfter, uint48 validUntil);

    /// @dev Called once per validated user operation (the prefund leaves the account).
    function _onUserOpValidated() internal virtual;

    /// @dev Runs the encoded inner call as session `key`, charging its policy.
    function _executeSessionCall(address key, bytes calldata call) internal virtual;

    /// @dev Signature, nonce lane, callData shape, session scope and gas charge.
    function _validateSessionUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash)
        private
        returns (uint256)
    {
        bytes calldata callData = userOp.callData;
        bytes4 selector = callData.length < 4 ? bytes4(0) : bytes4(callData[:4]);
        if (selector != IAccountExecute.executeUserOp.selector) revert ERC4337Account_InvalidCallData(selector);

        (bool wellFormed, address key, bool sigFailed) = _recoverSessionKey(userOp.signature, userOpHash);
        if (!wellFormed) return SIG_VALIDATION_FAILED;

        (bool valid, uint48 validAfter, uint48 validUntil) = _checkAndCharge(userOp, key);
        if (!valid) return SIG_VALIDATION_FAILED;
        return _packValidationData(sigFailed, validUntil, validAfter);
    }

    /// @dev Nonce lane, fee cap, scope and gas charge of `userOp` for session `key`.
    function _checkAndCharge(PackedUserOperation calldata userOp, address key)
        private
        returns (bool valid, uint48 validAfter, uint48 validUntil)
    {
        if (userOp.nonce >> 64 != uint256(uint160(key))) return (false, 0, 0);
        uint256 maxFeePerGas = uint128(uint256(userOp.gasFees));
        // Caps are uint64: a larger fee can never be allowed (and the product below cannot overflow).
        if (maxFeePerGas > type(uint64).max) return (false, 0, 0);
        uint256 prefund = _requiredGas(userOp) * maxFeePerGas;
        return _checkSessionCall(key, userOp.callData[4:], maxFeePerGas, prefund);
    }

    /// @dev The claimed session key of `signature` and whether its signature of `userOpHash` fails. A
    /// bad signature still runs the whole validation (the EntryPoint reverts the bundle on it), so a
    /// bundler estimating with a stub signature measures the real path.
    /// @return wellFormed False if the signature is not `key ++ sig65`.
    function _recoverSessionKey(bytes calldata signature, bytes32 userOpHash)
        private
        pure
        returns (bool wellFormed, address key, bool sigFailed)
    {
        if (signature.length != _SIGNATURE_LENGTH) return (false, address(0), true);
        key = address(bytes20(signature[0:20]));
        (address recovered, ECDSA.RecoverError error_,) =
            ECDSA.tryRecover(MessageHashUtils.toEthSignedMessageHash(userOpHash), signature[20:]);
        return (true, key, error_ != ECDSA.RecoverError.NoError || recovered != key);
    }

    /// @dev The gas EntryPoint v0.7 reserves for `userOp` (its `requiredPreFund` is this times
    /// `maxFeePerGas`): both account gas limits, `preVerificationGas` and, with a paymaster, both
    /// paymaster gas limits. Each term is below 2^128, so the sum cannot overflow.
    function _requiredGas(PackedUserOperation calldata userOp) private pure returns (uint256 gas) {
        bytes32 limits = userOp.accountGasLimits;
        gas = uint256(limits >> 128) + uint128(uint256(limits)) + userOp.preVerificationGas;
        bytes calldata paymasterAndData = userOp.paymasterAndData;
        if (paymasterAndData.length >= 52) {
            gas += uint128(bytes16(paymasterAndData[20:36])) + uint128(bytes16(paymasterAndData[36:52]));
        }
    }

    /// @dev Reverts unless the caller is the EntryPoint.
    function _onlyEntryPoint() private view {
        if (msg.sender != address(_entryPoint)) revert ERC4337Account_NotEntryPoint(msg.sender);
    }
}
