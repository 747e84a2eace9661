// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccount} from "@account-abstraction/contracts/interfaces/IAccount.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";

import {IAgentAccount} from "../interfaces/IAgentAccount.sol";
import {IERC6551Executable} from "../erc6551/IERC6551Executable.sol";
import {ERC6551Account} from "./ERC6551Account.sol";
import {SessionKeys} from "./SessionKeys.sol";
import {ERC4337Account} from "./ERC4337Account.sol";
import {Executor} from "./Executor.sol";
import {ExecutionLib} from "./ExecutionLib.sol";

/// @title AgentAccount
/// @notice The y2c agent's wallet: an ERC-6551 token bound account whose owner (the NFT holder) acts
/// with plain transactions and whose session keys act, within their policy, directly or through
/// ERC-4337 (EntryPoint v0.7).
/// @dev Deploy once as the implementation; accounts are the canonical registry's proxies to it.
/// This contract only composes its parts and wires their hooks.
contract AgentAccount is ERC6551Account, SessionKeys, ERC4337Account, Executor {
    // ------------------------------------------------------------ constructor

    /// @param entryPoint_ The EntryPoint v0.7.
    constructor(IEntryPoint entryPoint_) ERC4337Account(entryPoint_) {}

    // --------------------------------------------------------------- external

    /// @notice ERC-165: also IERC6551Executable (0x51945447), IAgentAccount and IAccount.
    /// @param interfaceId The interface id to check.
    /// @return True if supported.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IERC6551Executable).interfaceId || interfaceId == type(IAgentAccount).interfaceId
            || interfaceId == type(IAccount).interfaceId || super.supportsInterface(interfaceId);
    }

    // --------------------------------------------------------------- internal

    /// @dev The owner may run any operation but DELEGATECALL; anyone else must be a session key
    /// acting within its policy (`SessionKeys._useSession` reverts otherwise).
    function _authorizeOperation(
        address signer,
        address owner_,
        address to,
        uint256 value,
        bytes memory data,
        uint8 operation
    ) internal override {
        if (signer == owner_ && owner_ != address(0)) return;
        _useSession(signer, owner_, to, value, data, operation);
    }

    /// @dev When `signer`'s session proves its grantor still owns the token (see
    /// `SessionKeys._provenSessionOwner`) and the token lives on this chain, that grantor is the owner:
    /// no `ownerOf` call. Otherwise the token contract is asked.
    function _executorOwner(address signer) internal view override returns (address) {
        address proven = _provenSessionOwner(signer);
        if (proven != address(0) && _onBoundChain()) return proven;
        return owner();
    }

    function _sessionOwnerReported() internal view override returns (bool) {
        return _tokenReportsTransfers();
    }

    function _sessionOwner() internal view override returns (address) {
        return owner();
    }

    function _onExecution() internal override {
        _bumpState();
    }

    function _onSessionsChanged() internal override {
        _bumpState();
    }

    function _sessionOwnerEpoch() internal view override returns (uint64) {
        return ownerEpoch();
    }

    function _onUserOpValidated() internal override {
        _bumpState();
    }

    function _checkSessionCall(address key, bytes calldata call, uint256 maxFeePerGas, uint256 prefund)
        internal
        override
        returns (bool valid, uint48 validAfter, uint48 validUntil)
    {
        return _validateSessionOps(key, ExecutionLib.decode(call), maxFeePerGas, prefund);
    }

    function _executeSessionCall(address key, bytes calldata call) internal override {
        _executeEncoded(key, call);
    }
}
