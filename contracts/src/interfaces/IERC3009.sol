// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IERC3009
/// @notice EIP-3009: transfer with authorization. The holder signs an EIP-712 authorization off chain; anyone
/// (or, for `receiveWithAuthorization`, only the payee) submits it. Each nonce MUST be usable once per authorizer.
interface IERC3009 {
    /// @notice `nonce` of `authorizer` was used by a transfer.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
    /// @notice `nonce` of `authorizer` was cancelled before use.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    /// @notice Whether `nonce` of `authorizer` was used or cancelled.
    /// @param authorizer The signer of the authorization.
    /// @param nonce The authorization's nonce.
    /// @return True once used or cancelled.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);

    /// @notice Moves `value` from `from` to `to` with `from`'s signed authorization (v, r, s form).
    /// @param from The payer and signer.
    /// @param to The payee.
    /// @param value The amount.
    /// @param validAfter The authorization is valid strictly after this unix time.
    /// @param validBefore The authorization is valid strictly before this unix time.
    /// @param nonce A unique 32-byte nonce.
    /// @param v The signature's v.
    /// @param r The signature's r.
    /// @param s The signature's s.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice Same as the (v, r, s) form with a `bytes` signature (65-byte ECDSA or ERC-1271 for a contract).
    /// @param from The payer and signer.
    /// @param to The payee.
    /// @param value The amount.
    /// @param validAfter The authorization is valid strictly after this unix time.
    /// @param validBefore The authorization is valid strictly before this unix time.
    /// @param nonce A unique 32-byte nonce.
    /// @param signature The signature.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice Like `transferWithAuthorization` but MUST be called by the payee `to` (no front-running).
    /// @param from The payer and signer.
    /// @param to The payee, who must be the caller.
    /// @param value The amount.
    /// @param validAfter The authorization is valid strictly after this unix time.
    /// @param validBefore The authorization is valid strictly before this unix time.
    /// @param nonce A unique 32-byte nonce.
    /// @param v The signature's v.
    /// @param r The signature's r.
    /// @param s The signature's s.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice The `bytes` signature form of `receiveWithAuthorization`.
    /// @param from The payer and signer.
    /// @param to The payee, who must be the caller.
    /// @param value The amount.
    /// @param validAfter The authorization is valid strictly after this unix time.
    /// @param validBefore The authorization is valid strictly before this unix time.
    /// @param nonce A unique 32-byte nonce.
    /// @param signature The signature.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice Cancels an unused authorization of `authorizer` (v, r, s form).
    /// @param authorizer The signer.
    /// @param nonce The nonce to cancel.
    /// @param v The signature's v.
    /// @param r The signature's r.
    /// @param s The signature's s.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice The `bytes` signature form of `cancelAuthorization`.
    /// @param authorizer The signer.
    /// @param nonce The nonce to cancel.
    /// @param signature The signature.
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external;
}
