// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IERC6551Account} from "../erc6551/IERC6551Account.sol";
import {ITokenTransferHook} from "../interfaces/ITokenTransferHook.sol";
import {ITokenTransferReporter} from "../interfaces/ITokenTransferReporter.sol";
import {ERC6551_REGISTRY_ADDRESS} from "../erc6551/ERC6551RegistryDeployment.sol";

/// @title ERC6551Account
/// @notice The ERC-6551 part of the agent account: the bound token (read from the proxy's bytecode
/// footer), its holder as owner, the state counter, ERC-1271 for the owner only, and token receiver
/// hooks that refuse ownership cycles.
/// @dev Meant to run behind the canonical registry's ERC-1167 proxy. Executing operations lives in
/// `Executor`; this contract only offers `_bumpState` to it.
abstract contract ERC6551Account is
    IERC165,
    IERC1271,
    IERC6551Account,
    IERC721Receiver,
    IERC1155Receiver,
    ITokenTransferHook
{
    // ----------------------------------------------------------------- errors

    /// @notice Only the bound token contract (on this chain) may report a transfer.
    error ERC6551Account_NotTokenContract(address caller);
    /// @notice Receiving `tokenContract` #`tokenId` would make it own (directly or through a chain of
    /// token bound accounts) the account that holds it, locking both forever.
    error ERC6551Account_OwnershipCycle(address tokenContract, uint256 tokenId);

    // ---------------------------------------------------------------- storage

    /// @dev How many token bound accounts up the ownership chain the cycle check follows.
    uint256 private constant _MAX_CYCLE_DEPTH = 5;
    /// @dev ERC-1167 header of a registry-made account: `363d3d373d3d3d363d73`, left-aligned.
    bytes32 private constant _PROXY_HEADER = 0x363d3d373d3d3d363d7300000000000000000000000000000000000000000000;
    /// @dev Mask keeping the first 10 bytes of a word.
    bytes32 private constant _HEADER_MASK = 0xffffffffffffffffffff00000000000000000000000000000000000000000000;
    /// @dev The constructor prefix the registry puts before an account's runtime code.
    bytes10 private constant _PROXY_CONSTRUCTOR = 0x3d60ad80600a3d3981f3;
    /// @dev Size of an account's runtime code: header 10 + implementation 20 + footer 15 + data 128.
    uint256 private constant _PROXY_CODE_SIZE = 0xad;

    /// @dev EIP-712 domain type hash.
    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /// @dev The message an owner signs for this account: `AgentAccountMessage(bytes32 hash)`.
    bytes32 private constant _MESSAGE_TYPEHASH = keccak256("AgentAccountMessage(bytes32 hash)");
    /// @dev keccak256("AgentAccount") and keccak256("1").
    bytes32 private constant _NAME_HASH = keccak256("AgentAccount");
    bytes32 private constant _VERSION_HASH = keccak256("1");

    /// @dev Bumped on every mutation of the account (ERC-6551 `state`). It shares its slot with the owner
    /// epoch: a session user operation reads the epoch and bumps the state in its validation, one cold
    /// slot for both.
    uint192 private _state;
    /// @dev Bumped by the bound token contract on every transfer of the token (`onTokenTransfer`).
    uint64 private _ownerEpoch;

    // --------------------------------------------------------------- external

    /// @notice Accepts native currency from anyone.
    receive() external payable virtual {}

    /// @notice The state counter; it changes on every execution and every change of the session
    /// policies or the guardian.
    /// @return The current state.
    function state() external view returns (uint256) {
        return _state;
    }

    /// @notice The bound token contract reports that the token changed hands (AgentNFT does on every
    /// transfer): the owner epoch and the state change. Only the bound token contract may call it.
    function onTokenTransfer() external virtual {
        (uint256 chainId, address tokenContract,) = token();
        if (msg.sender != tokenContract || chainId != block.chainid) revert ERC6551Account_NotTokenContract(msg.sender);
        // unchecked: one increment per token transfer cannot reach 2^64.
        unchecked {
            ++_ownerEpoch;
        }
        _bumpState();
    }

    /// @notice How many transfers of the bound token its contract reported (0 for a token contract
    /// that does not report them).
    /// @return The owner epoch.
    function ownerEpoch() public view returns (uint64) {
        return _ownerEpoch;
    }

    /// @notice Returns the ERC-6551 magic value 0x523e3260 for the current owner, 0 for anyone else.
    /// @param signer The address to check.
    /// @return magicValue `IERC6551Account.isValidSigner.selector` if `signer` is the owner, else 0.
    function isValidSigner(address signer, bytes calldata) external view virtual returns (bytes4 magicValue) {
        address owner_ = owner();
        if (owner_ != address(0) && signer == owner_) return IERC6551Account.isValidSigner.selector;
        return bytes4(0);
    }

    /// @notice ERC-1271: valid only for a signature of the current owner (ECDSA or the owner's own
    /// ERC-1271) over `replaySafeHash(hash)`, which binds the hash to this account and chain, so a
    /// signature an owner gives for one of its accounts is worthless for its others. Session keys can
    /// never sign for the account (no permits, no off-chain orders).
    /// @param hash The hash the application checks.
    /// @param signature The owner's signature of `replaySafeHash(hash)`.
    /// @return magicValue 0x1626ba7e if valid, 0xffffffff otherwise.
    function isValidSignature(bytes32 hash, bytes memory signature) external view virtual returns (bytes4 magicValue) {
        address owner_ = owner();
        if (owner_ != address(0) && SignatureChecker.isValidSignatureNow(owner_, replaySafeHash(hash), signature)) {
            return IERC1271.isValidSignature.selector;
        }
        return bytes4(0xffffffff);
    }

    /// @notice What the owner signs for `hash` to be valid for this account (ERC-1271): the EIP-712
    /// typed data `AgentAccountMessage(bytes32 hash)` under the domain (name "AgentAccount", version
    /// "1", this chain, this account). A wallet shows it as such typed data (viem `signTypedData`).
    /// @param hash The application's hash.
    /// @return The digest the owner signs.
    function replaySafeHash(bytes32 hash) public view returns (bytes32) {
        bytes32 domain = keccak256(abi.encode(_DOMAIN_TYPEHASH, _NAME_HASH, _VERSION_HASH, block.chainid, address(this)));
        return keccak256(abi.encodePacked("\x19\x01", domain, keccak256(abi.encode(_MESSAGE_TYPEHASH, hash))));
    }

    /// @notice Accepts an ERC-721 unless it would create an ownership cycle.
    /// @param tokenId The received token id (the collection is `msg.sender`).
    /// @return The ERC-721 receiver magic value.
    function onERC721Received(address, address, uint256 tokenId, bytes calldata) external view virtual returns (bytes4) {
        _revertIfOwnershipCycle(msg.sender, tokenId);
        return IERC721Receiver.onERC721Received.selector;
    }

    /// @notice Accepts ERC-1155 tokens.
    /// @return The ERC-1155 single receiver magic value.
    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external pure virtual returns (bytes4) {
        return IERC1155Receiver.onERC1155Received.selector;
    }

    /// @notice Accepts ERC-1155 batches.
    /// @return The ERC-1155 batch receiver magic value.
    function onERC1155BatchReceived(address, address, uint256[] calldata, uint256[] calldata, bytes calldata)
        external
        pure
        virtual
        returns (bytes4)
    {
        return IERC1155Receiver.onERC1155BatchReceived.selector;
    }

    /// @notice ERC-165: IERC165, IERC6551Account (0x6faff5f1), IERC1271, IERC721Receiver, IERC1155Receiver.
    /// @param interfaceId The interface id to check.
    /// @return True if supported.
    function supportsInterface(bytes4 interfaceId) public view virtual override returns (bool) {
        return interfaceId == type(IERC165).interfaceId || interfaceId == type(IERC6551Account).interfaceId
            || interfaceId == type(IERC1271).interfaceId || interfaceId == type(IERC721Receiver).interfaceId
            || interfaceId == type(IERC1155Receiver).interfaceId;
    }

    /// @notice The token that owns this account, read from the proxy's bytecode footer.
    /// @return chainId The chain id of the token.
    /// @return tokenContract The token contract.
    /// @return tokenId The token id.
    function token() public view virtual returns (uint256 chainId, address tokenContract, uint256 tokenId) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            extcodecopy(address(), ptr, 0x4d, 0x60)
            chainId := mload(ptr)
            tokenContract := and(mload(add(ptr, 0x20)), 0xffffffffffffffffffffffffffffffffffffffff)
            tokenId := mload(add(ptr, 0x40))
        }
    }

    /// @notice The holder of the bound token; address(0) if the token lives on another chain or has no
    /// holder (burned, or a contract without `ownerOf`).
    /// @return The owner.
    function owner() public view virtual returns (address) {
        (uint256 chainId, address tokenContract, uint256 tokenId) = token();
        if (chainId != block.chainid) return address(0);
        return _holderOf(tokenContract, tokenId);
    }

    // --------------------------------------------------------------- internal

    /// @dev Whether the bound token contract promises to report every transfer of the token to THIS
    /// account (`ITokenTransferReporter`, AgentNFT does for its canonical account), on this chain. A
    /// contract without the function, or one that answers anything but true, does not.
    function _tokenReportsTransfers() internal view returns (bool reports) {
        (uint256 chainId, address tokenContract, uint256 tokenId) = token();
        if (chainId != block.chainid) return false;
        bytes memory call = abi.encodeCall(ITokenTransferReporter.reportsTransfersTo, (tokenId, address(this)));
        (bool ok, bytes memory ret) = tokenContract.staticcall(call);
        return ok && ret.length == 32 && abi.decode(ret, (uint256)) == 1;
    }

    /// @dev Whether the account's bound token lives on this chain (else it has no owner here).
    function _onBoundChain() internal view returns (bool) {
        uint256 chainId;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            extcodecopy(address(), ptr, 0x4d, 0x20)
            chainId := mload(ptr)
        }
        return chainId == block.chainid;
    }

    /// @dev Changes the ERC-6551 state.
    function _bumpState() internal {
        // unchecked: a 192-bit counter bumped once per transaction-level mutation cannot overflow.
        unchecked {
            ++_state;
        }
    }

    /// @dev Reverts if receiving `collection` #`receivedId` would close an ownership cycle: it is the
    /// token bound to this account, or to a token bound account that (transitively, up to
    /// `_MAX_CYCLE_DEPTH` links) holds this account's token. Only accounts made by the canonical
    /// registry are followed (their address is recomputed from their code).
    function _revertIfOwnershipCycle(address collection, uint256 receivedId) internal view {
        (uint256 chainId, address tokenContract, uint256 tokenId) = token();
        for (uint256 depth; depth < _MAX_CYCLE_DEPTH; ++depth) {
            if (chainId != block.chainid) return;
            if (tokenContract == collection && tokenId == receivedId) {
                revert ERC6551Account_OwnershipCycle(collection, receivedId);
            }
            bool isAccount;
            (isAccount, chainId, tokenContract, tokenId) = _boundToken(_holderOf(tokenContract, tokenId));
            if (!isAccount) return;
        }
    }

    /// @dev `ownerOf(tokenId)` without reverting: address(0) on failure.
    function _holderOf(address tokenContract, uint256 tokenId) private view returns (address holder) {
        assembly ("memory-safe") {
            mstore(0x00, 0x6352211e) // ownerOf(uint256)
            mstore(0x20, tokenId)
            if and(gt(returndatasize(), 0x1f), staticcall(gas(), tokenContract, 0x1c, 0x24, 0x00, 0x20)) {
                holder := and(mload(0x00), 0xffffffffffffffffffffffffffffffffffffffff)
            }
        }
    }

    /// @dev If `account` is a token bound account made by the canonical registry, its bound token.
    function _boundToken(address account)
        private
        view
        returns (bool isAccount, uint256 chainId, address tokenContract, uint256 tokenId)
    {
        if (account.code.length != _PROXY_CODE_SIZE) return (false, 0, address(0), 0);
        bytes memory code = new bytes(_PROXY_CODE_SIZE);
        bytes32 header;
        bytes32 salt;
        assembly ("memory-safe") {
            extcodecopy(account, add(code, 0x20), 0, _PROXY_CODE_SIZE)
            header := and(mload(add(code, 0x20)), _HEADER_MASK)
            salt := mload(add(code, 0x4d))
            chainId := mload(add(code, 0x6d))
            tokenContract := and(mload(add(code, 0x8d)), 0xffffffffffffffffffffffffffffffffffffffff)
            tokenId := mload(add(code, 0xad))
        }
        if (header != _PROXY_HEADER) return (false, 0, address(0), 0);
        bytes32 initCodeHash = keccak256(abi.encodePacked(_PROXY_CONSTRUCTOR, code));
        address expected = address(
            uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), ERC6551_REGISTRY_ADDRESS, salt, initCodeHash))))
        );
        isAccount = expected == account;
    }
}
