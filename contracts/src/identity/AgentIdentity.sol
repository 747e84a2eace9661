// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @dev What the identity reads from the agent's charter.
interface ICharterVersion {
    function version() external view returns (uint64);
    function constitutionHash() external view returns (bytes32);
}

/// @title AgentIdentity
/// @notice Each agent token's live identity, shaped like an ERC-8004 registration file: name,
/// description, image, its ERC-6551 account as `wallet`, its chat endpoint, and its charter's
/// version and constitution hash (read from the charter at call time). The token's holder (for a
/// self-owned agent: its timelock, so a vote) sets the profile.
/// @dev The wallet is computed from the canonical ERC-6551 registry, never stored, so the profile
/// cannot name someone else's account. Strings that end up in the JSON are refused when they
/// hold characters JSON would need to escape.
abstract contract AgentIdentity {
    using Strings for uint256;
    using Strings for address;

    // ---------------------------------------------------------------- errors

    /// @notice Only the token's holder sets its profile.
    error AgentIdentity_NotHolder(address caller, uint256 tokenId);
    /// @notice A profile string holds a character JSON would need escaped (`"`, `\` or a control).
    error AgentIdentity_UnsafeString(string value);

    // ---------------------------------------------------------------- events

    /// @notice The profile of `tokenId` changed.
    event AgentProfileSet(uint256 indexed tokenId, string chatEndpoint, address charter);

    // ---------------------------------------------------------------- storage

    /// @notice What the holder says about the agent.
    struct Profile {
        address charter; // the agent's Charter (0 when it has none)
        string chatEndpoint; // where members talk to it
    }

    mapping(uint256 tokenId => Profile) private _profiles;

    // ---------------------------------------------------------------- external

    /// @notice Sets the profile of `tokenId`; its holder only.
    /// @param tokenId The agent.
    /// @param profile Charter and chat endpoint.
    function setProfile(uint256 tokenId, Profile calldata profile) external {
        if (msg.sender != _identityHolder(tokenId)) revert AgentIdentity_NotHolder(msg.sender, tokenId);
        _requireJsonSafe(profile.chatEndpoint);
        _profiles[tokenId] = profile;
        emit AgentProfileSet(tokenId, profile.chatEndpoint, profile.charter);
    }

    /// @notice The profile of `tokenId`.
    /// @param tokenId The agent.
    /// @return The profile (empty until set).
    function profileOf(uint256 tokenId) external view returns (Profile memory) {
        return _profiles[tokenId];
    }

    /// @notice The agent's wallet: its canonical ERC-6551 account (deployed or not).
    /// @param tokenId The agent.
    /// @return The account address.
    function walletOf(uint256 tokenId) public view returns (address) {
        return _identityWallet(tokenId);
    }

    // ---------------------------------------------------------------- internal

    /// @dev The holder of `tokenId` (0 if none).
    function _identityHolder(uint256 tokenId) internal view virtual returns (address);

    /// @dev The agent's wallet (its canonical token bound account).
    function _identityWallet(uint256 tokenId) internal view virtual returns (address);

    /// @dev The identity JSON as a base64 data URI.
    function _identityURI(uint256 tokenId) internal view returns (string memory) {
        return string.concat("data:application/json;base64,", Base64.encode(bytes(_identityJson(tokenId))));
    }

    /// @dev The identity JSON.
    function _identityJson(uint256 tokenId) internal view returns (string memory) {
        return string.concat(_head(tokenId), _tail(tokenId));
    }

    /// @dev Type, name, description, image, wallet and endpoints.
    function _head(uint256 tokenId) private view returns (string memory) {
        string memory id = tokenId.toString();
        string memory wallet = walletOf(tokenId).toHexString();
        return string.concat(
            '{"type":"https://eips.ethereum.org/EIPS/eip-8004#registration-v1","name":"y2c agent #',
            id,
            '","description":"An AI agent that pays for its own inference with the yield its community stakes, governed by that community on chain.","image":"data:image/svg+xml;base64,',
            Base64.encode(bytes(_image(id))),
            '","wallet":"',
            wallet,
            '","endpoints":[{"name":"chat","endpoint":"',
            _profiles[tokenId].chatEndpoint,
            '"},{"name":"agentWallet","endpoint":"',
            string.concat(_caip(), wallet),
            '"}],'
        );
    }

    /// @dev Registrations and charter.
    function _tail(uint256 tokenId) private view returns (string memory) {
        address charter = _profiles[tokenId].charter;
        (string memory version, string memory hash) = _charterOf(charter);
        return string.concat(
            '"registrations":[{"agentId":',
            tokenId.toString(),
            ',"agentRegistry":"',
            string.concat(_caip(), address(this).toHexString()),
            '"}],"charter":{"address":"',
            charter.toHexString(),
            '","version":',
            version,
            ',"constitutionHash":"',
            hash,
            '"}}'
        );
    }

    /// @dev "eip155:<chain id>:".
    function _caip() private view returns (string memory) {
        return string.concat("eip155:", block.chainid.toString(), ":");
    }

    /// @dev Version and constitution hash of `charter`, read live ("0" and zero hash without one,
    /// or if it does not answer).
    function _charterOf(address charter) private view returns (string memory version, string memory hash) {
        uint64 v;
        bytes32 h;
        if (charter.code.length != 0) {
            try ICharterVersion(charter).version() returns (uint64 value) {
                v = value;
            } catch {}
            try ICharterVersion(charter).constitutionHash() returns (bytes32 value) {
                h = value;
            } catch {}
        }
        return (uint256(v).toString(), uint256(h).toHexString(32));
    }

    /// @dev A small SVG badge with the token id.
    function _image(string memory id) private pure returns (string memory) {
        return string.concat(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200"><rect width="200" height="200" rx="24" fill="#0b3d2e"/><text x="100" y="95" font-family="monospace" font-size="40" fill="#9ef0c8" text-anchor="middle">y2c</text><text x="100" y="140" font-family="monospace" font-size="28" fill="#ffffff" text-anchor="middle">#',
            id,
            "</text></svg>"
        );
    }

    /// @dev Reverts when `value` holds `"`, `\` or a control character.
    function _requireJsonSafe(string calldata value) private pure {
        bytes calldata b = bytes(value);
        for (uint256 i; i < b.length; ++i) {
            bytes1 c = b[i];
            if (c == '"' || c == "\\" || uint8(c) < 0x20) revert AgentIdentity_UnsafeString(value);
        }
    }
}
