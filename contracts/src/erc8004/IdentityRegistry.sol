// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC721URIStorage} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721URIStorage.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title IdentityRegistry
/// @notice The ERC-8004 ("Trustless Agents") Identity Registry, written from the ERC: an ERC-721 with
/// URI storage whose token id is the `agentId` and whose token URI (`agentURI`) resolves to the
/// agent's registration file; optional on-chain metadata; and the reserved `agentWallet` key, which
/// is the owner at registration, changes only with the new wallet's EIP-712 signature (ERC-1271 for
/// a contract wallet), and is cleared when the agent changes hands.
/// @dev The devnet copy of the canonical registry (no npm package ships its bytecode). Beyond the
/// ERC, a wallet proof can be used once (the typed data has no nonce: without this, a consent
/// given for one moment could be replayed within its deadline after the owner moved the wallet).
contract IdentityRegistry is ERC721URIStorage, EIP712 {
    // ---------------------------------------------------------------- errors

    /// @notice `caller` is neither the owner of `agentId` nor an operator it approved.
    error IdentityRegistry_NotAuthorized(address caller, uint256 agentId);
    /// @notice `agentWallet` is set only through `setAgentWallet`.
    error IdentityRegistry_ReservedKey(string metadataKey);
    /// @notice The agent wallet cannot be the zero address (use `unsetAgentWallet`).
    error IdentityRegistry_ZeroWallet();
    /// @notice The wallet proof expired at `deadline` (now `nowTime`).
    error IdentityRegistry_ProofExpired(uint256 deadline, uint256 nowTime);
    /// @notice The wallet proof's `deadline` is more than `MAX_DEADLINE_DELAY` ahead.
    error IdentityRegistry_DeadlineTooFar(uint256 deadline, uint256 latest);
    /// @notice `signature` is not `newWallet`'s signature (ECDSA or ERC-1271) of the typed data.
    error IdentityRegistry_InvalidWalletSignature(address newWallet);
    /// @notice This wallet proof was already used.
    error IdentityRegistry_ProofUsed(bytes32 digest);
    /// @notice No agent `agentId` is registered.
    error IdentityRegistry_UnknownAgent(uint256 agentId);

    // ---------------------------------------------------------------- events

    /// @notice Agent `agentId` was registered by `owner` with `agentURI`.
    event Registered(uint256 indexed agentId, string agentURI, address indexed owner);
    /// @notice The agent URI of `agentId` changed (by its owner or an operator, `updatedBy`).
    event URIUpdated(uint256 indexed agentId, string newURI, address indexed updatedBy);
    /// @notice Metadata `metadataKey` of `agentId` was set to `metadataValue`.
    event MetadataSet(uint256 indexed agentId, string indexed indexedMetadataKey, string metadataKey, bytes metadataValue);

    // ---------------------------------------------------------------- storage

    /// @notice One metadata entry of `register(agentURI, metadata)`.
    struct MetadataEntry {
        string metadataKey;
        bytes metadataValue;
    }

    /// @notice The reserved metadata key of the agent's wallet.
    string public constant AGENT_WALLET_KEY = "agentWallet";
    /// @notice The longest a wallet proof may stay valid (the ERC-8004 deployments use 5 minutes).
    uint256 public constant MAX_DEADLINE_DELAY = 5 minutes;
    /// @notice EIP-712 type of the new wallet's consent.
    bytes32 public constant AGENT_WALLET_SET_TYPEHASH =
        keccak256("AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)");
    bytes32 private constant _AGENT_WALLET_KEY_HASH = keccak256("agentWallet");

    uint256 private _nextAgentId = 1;
    mapping(uint256 agentId => mapping(string metadataKey => bytes value)) private _metadata;
    mapping(bytes32 digest => bool) private _usedProofs;

    // ---------------------------------------------------------------- constructor

    constructor() ERC721("AgentIdentity", "AGENT") EIP712("ERC8004IdentityRegistry", "1") {}

    // ---------------------------------------------------------------- external

    /// @notice Registers a new agent owned by the caller, without URI (set it with `setAgentURI`).
    /// @return agentId The new agent's id (incremental, from 1).
    function register() external returns (uint256 agentId) {
        return _register("", new MetadataEntry[](0));
    }

    /// @notice Registers a new agent owned by the caller.
    /// @param agentURI Where its registration file lives (any URI scheme, `data:` included).
    /// @return agentId The new agent's id.
    function register(string calldata agentURI) external returns (uint256 agentId) {
        return _register(agentURI, new MetadataEntry[](0));
    }

    /// @notice Registers a new agent owned by the caller, with metadata (`agentWallet` refused).
    /// @param agentURI Where its registration file lives.
    /// @param metadata Extra on-chain metadata.
    /// @return agentId The new agent's id.
    function register(string calldata agentURI, MetadataEntry[] calldata metadata) external returns (uint256 agentId) {
        return _register(agentURI, metadata);
    }

    /// @notice Points `agentId` at a new registration file; its owner or an approved operator.
    /// @param agentId The agent.
    /// @param newURI The new agent URI.
    function setAgentURI(uint256 agentId, string calldata newURI) external {
        _requireAuthorized(agentId);
        _setTokenURI(agentId, newURI);
        emit URIUpdated(agentId, newURI, msg.sender);
    }

    /// @notice Sets metadata `metadataKey` of `agentId`; its owner or an approved operator.
    /// @param agentId The agent.
    /// @param metadataKey Any key but `agentWallet`.
    /// @param metadataValue The value.
    function setMetadata(uint256 agentId, string calldata metadataKey, bytes calldata metadataValue) external {
        _requireAuthorized(agentId);
        if (keccak256(bytes(metadataKey)) == _AGENT_WALLET_KEY_HASH) revert IdentityRegistry_ReservedKey(metadataKey);
        _metadata[agentId][metadataKey] = metadataValue;
        emit MetadataSet(agentId, metadataKey, metadataKey, metadataValue);
    }

    /// @notice Sets the agent's wallet to `newWallet`, which proves it consents: its EIP-712 signature
    /// of `AgentWalletSet(agentId, newWallet, owner, deadline)` under this registry's domain, or for
    /// a contract wallet its ERC-1271 approval of that digest. Owner or approved operator only.
    /// @param agentId The agent.
    /// @param newWallet The wallet.
    /// @param deadline Unix seconds after which the proof is void (at most `MAX_DEADLINE_DELAY` ahead).
    /// @param signature The wallet's signature.
    function setAgentWallet(uint256 agentId, address newWallet, uint256 deadline, bytes calldata signature) external {
        _requireAuthorized(agentId);
        if (newWallet == address(0)) revert IdentityRegistry_ZeroWallet();
        if (block.timestamp > deadline) revert IdentityRegistry_ProofExpired(deadline, block.timestamp);
        if (deadline > block.timestamp + MAX_DEADLINE_DELAY) {
            revert IdentityRegistry_DeadlineTooFar(deadline, block.timestamp + MAX_DEADLINE_DELAY);
        }
        bytes32 digest = agentWalletDigest(agentId, newWallet, ownerOf(agentId), deadline);
        if (_usedProofs[digest]) revert IdentityRegistry_ProofUsed(digest);
        if (!SignatureChecker.isValidSignatureNow(newWallet, digest, signature)) {
            revert IdentityRegistry_InvalidWalletSignature(newWallet);
        }
        _usedProofs[digest] = true;
        _setWallet(agentId, abi.encodePacked(newWallet));
    }

    /// @notice Clears the agent's wallet; its owner or an approved operator.
    /// @param agentId The agent.
    function unsetAgentWallet(uint256 agentId) external {
        _requireAuthorized(agentId);
        _setWallet(agentId, "");
    }

    /// @notice The agent's wallet (zero when unset or after a transfer).
    /// @param agentId The agent.
    /// @return The wallet.
    function getAgentWallet(uint256 agentId) external view returns (address) {
        _requireOwned(agentId);
        bytes memory value = _metadata[agentId][AGENT_WALLET_KEY];
        return value.length == 20 ? address(bytes20(value)) : address(0);
    }

    /// @notice Metadata `metadataKey` of `agentId` (empty when unset).
    /// @param agentId The agent.
    /// @param metadataKey The key.
    /// @return The value.
    function getMetadata(uint256 agentId, string calldata metadataKey) external view returns (bytes memory) {
        return _metadata[agentId][metadataKey];
    }

    /// @notice Whether `spender` is the owner of `agentId` or an operator it approved (the
    /// Reputation Registry refuses their feedback on their own agent).
    /// @param spender The address.
    /// @param agentId The agent (reverts when unknown).
    /// @return True for owner, approved or operator.
    function isAuthorizedOrOwner(address spender, uint256 agentId) external view returns (bool) {
        return _isAuthorized(_requireOwned(agentId), spender, agentId);
    }

    /// @notice The EIP-712 digest a wallet signs to become the wallet of `agentId`.
    /// @param agentId The agent.
    /// @param newWallet The wallet.
    /// @param owner The agent's owner when the proof is used.
    /// @param deadline The proof's deadline.
    /// @return The digest.
    function agentWalletDigest(uint256 agentId, address newWallet, address owner, uint256 deadline) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(AGENT_WALLET_SET_TYPEHASH, agentId, newWallet, owner, deadline)));
    }

    /// @notice How many agents were registered.
    /// @return The count.
    function totalAgents() external view returns (uint256) {
        return _nextAgentId - 1;
    }

    // ---------------------------------------------------------------- internal

    function _register(string memory agentURI, MetadataEntry[] memory metadata) private returns (uint256 agentId) {
        agentId = _nextAgentId++;
        _safeMint(msg.sender, agentId);
        if (bytes(agentURI).length != 0) _setTokenURI(agentId, agentURI);
        for (uint256 i; i < metadata.length; ++i) {
            MetadataEntry memory entry = metadata[i];
            if (keccak256(bytes(entry.metadataKey)) == _AGENT_WALLET_KEY_HASH) {
                revert IdentityRegistry_ReservedKey(entry.metadataKey);
            }
            _metadata[agentId][entry.metadataKey] = entry.metadataValue;
            emit MetadataSet(agentId, entry.metadataKey, entry.metadataKey, entry.metadataValue);
        }
        _setWallet(agentId, abi.encodePacked(msg.sender));
        emit Registered(agentId, agentURI, msg.sender);
    }

    function _setWallet(uint256 agentId, bytes memory value) private {
        _metadata[agentId][AGENT_WALLET_KEY] = value;
        emit MetadataSet(agentId, AGENT_WALLET_KEY, AGENT_WALLET_KEY, value);
    }

    function _requireAuthorized(uint256 agentId) private view {
        address owner = _ownerOf(agentId);
        if (owner == address(0)) revert IdentityRegistry_UnknownAgent(agentId);
        if (!_isAuthorized(owner, msg.sender, agentId)) revert IdentityRegistry_NotAuthorized(msg.sender, agentId);
    }

    /// @dev A transfer (not a mint or burn) clears the wallet: the new owner must prove its own.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0) && to != address(0) && _metadata[tokenId][AGENT_WALLET_KEY].length != 0) {
            _setWallet(tokenId, "");
        }
    }
}
