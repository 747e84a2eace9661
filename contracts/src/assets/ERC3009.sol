// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IERC3009} from "../interfaces/IERC3009.sol";

/// @title ERC3009
/// @notice EIP-3009 "Transfer With Authorization" for an ERC-20 with an EIP-712 domain, as USDC v2.2 has it:
/// `transferWithAuthorization`, `receiveWithAuthorization` and `cancelAuthorization`, each in the (v, r, s) and
/// the `bytes signature` form, and `authorizationState`.
/// @dev Signatures are checked with OpenZeppelin's `SignatureChecker`: ECDSA for an EOA, ERC-1271 for a contract
/// (as USDC v2.2 does). Nonces are random 32-byte values chosen by the signer, each usable once per authorizer,
/// whether it was used or cancelled. The composing token supplies the EIP-712 domain (ERC20Permit's).
abstract contract ERC3009 is ERC20, EIP712, IERC3009 {
    // ------------------------------------------------------------------ errors

    /// @notice The authorization is not valid before `validAfter` (now is `nowTs`).
    error ERC3009_NotYetValid(uint256 validAfter, uint256 nowTs);
    /// @notice The authorization expired at `validBefore` (now is `nowTs`).
    error ERC3009_Expired(uint256 validBefore, uint256 nowTs);
    /// @notice `nonce` of `authorizer` was already used or cancelled.
    error ERC3009_AuthorizationUsed(address authorizer, bytes32 nonce);
    /// @notice The signature does not come from `authorizer`.
    error ERC3009_InvalidSignature(address authorizer);
    /// @notice `receiveWithAuthorization` was called by `caller`, not by the payee `to`.
    error ERC3009_CallerNotPayee(address caller, address to);

    // ------------------------------------------------------------------ storage

    /// @notice keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH =
        0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267;
    /// @notice keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH =
        0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8;
    /// @notice keccak256("CancelAuthorization(address authorizer,bytes32 nonce)")
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH =
        0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429;

    mapping(address authorizer => mapping(bytes32 nonce => bool used)) private _authorizationStates;

    // ------------------------------------------------------------------ external

    /// @inheritdoc IERC3009
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool) {
        return _authorizationStates[authorizer][nonce];
    }

    /// @inheritdoc IERC3009
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
    ) external {
        _transferWithAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, _packed(v, r, s)
        );
    }

    /// @inheritdoc IERC3009
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        _transferWithAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, signature
        );
    }

    /// @inheritdoc IERC3009
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
    ) external {
        _transferWithAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, _packed(v, r, s)
        );
    }

    /// @inheritdoc IERC3009
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        _transferWithAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, signature
        );
    }

    /// @inheritdoc IERC3009
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external {
        _cancelAuthorization(authorizer, nonce, _packed(v, r, s));
    }

    /// @inheritdoc IERC3009
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external {
        _cancelAuthorization(authorizer, nonce, signature);
    }

    // ------------------------------------------------------------------ internal

    /// @dev The one path of both transfer kinds and both signature forms: a receive authorization may only be
    /// submitted by its payee (front-running protection), then the window, the nonce and the signature are
    /// checked and the transfer made.
    function _transferWithAuthorization(
        bytes32 typehash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) private {
        if (typehash == RECEIVE_WITH_AUTHORIZATION_TYPEHASH && msg.sender != to) {
            revert ERC3009_CallerNotPayee(msg.sender, to);
        }
        if (block.timestamp <= validAfter) revert ERC3009_NotYetValid(validAfter, block.timestamp);
        if (block.timestamp >= validBefore) revert ERC3009_Expired(validBefore, block.timestamp);
        _useAuthorization(
            from,
            nonce,
            keccak256(abi.encode(typehash, from, to, value, validAfter, validBefore, nonce)),
            signature
        );
        _transfer(from, to, value);
    }

    function _cancelAuthorization(address authorizer, bytes32 nonce, bytes memory signature) private {
        _useAuthorization(authorizer, nonce, keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)), signature);
        emit AuthorizationCanceled(authorizer, nonce);
    }

    /// @dev The (v, r, s) form as the 65-byte signature the `bytes` form takes (r, s, v; what SignatureChecker reads).
    function _packed(uint8 v, bytes32 r, bytes32 s) private pure returns (bytes memory) {
        return abi.encodePacked(r, s, v);
    }

    /// @dev Checks that `nonce` is fresh and `signature` is `authorizer`'s over `structHash`, then burns the nonce.
    function _useAuthorization(address authorizer, bytes32 nonce, bytes32 structHash, bytes memory signature) private {
        if (_authorizationStates[authorizer][nonce]) revert ERC3009_AuthorizationUsed(authorizer, nonce);
        if (!SignatureChecker.isValidSignatureNow(authorizer, _hashTypedDataV4(structHash), signature)) {
            revert ERC3009_InvalidSignature(authorizer);
        }
        _authorizationStates[authorizer][nonce] = true;
        emit AuthorizationUsed(authorizer, nonce);
    }
}
