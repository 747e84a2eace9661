// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice A contract signer (a smart account) that accepts its owner's ECDSA signatures through ERC-1271 until
/// its owner revokes them: the shape of a payer that signs vouchers, is served, then takes its word back.
contract RevocableSigner is IERC1271 {
    address public immutable owner;
    bool public revoked;

    constructor(address owner_) {
        owner = owner_;
    }

    function revoke() external {
        revoked = true;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (revoked) return bytes4(0);
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
        return err == ECDSA.RecoverError.NoError && recovered == owner ? this.isValidSignature.selector : bytes4(0);
    }
}

/// @notice Code that refuses every ERC-1271 check, etched onto an EOA signer to play an EIP-7702 delegation
/// that changes its mind.
contract RefusingCode is IERC1271 {
    function isValidSignature(bytes32, bytes calldata) external pure returns (bytes4) {
        return bytes4(0);
    }
}
