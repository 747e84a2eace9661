// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AgentIdentity} from "./identity/AgentIdentity.sol";

/// @title AgentNFT
/// @notice One token per y2c agent; the token's ERC-6551 account is the agent's wallet. `tokenURI`
/// is the agent's live identity (see `AgentIdentity`).
/// @dev Minting is restricted to the contract owner. Token ids are sequential from 1.
contract AgentNFT is ERC721, Ownable, AgentIdentity {
    // ---------------------------------------------------------------- storage

    /// @dev The id of the last minted token (0 before the first mint).
    uint256 private _lastTokenId;

    // ------------------------------------------------------------ constructor

    /// @param initialOwner The address allowed to mint.
    constructor(address initialOwner) ERC721("y2c Agent", "Y2C") Ownable(initialOwner) {}

    // --------------------------------------------------------------- external

    /// @notice Mints the next token to `to`; owner only.
    /// @param to The recipient of the new token.
    /// @return tokenId The id of the new token (sequential from 1).
    function mint(address to) external onlyOwner returns (uint256 tokenId) {
        tokenId = ++_lastTokenId;
        _mint(to, tokenId);
    }

    /// @notice The number of tokens minted so far (also the id of the last one).
    /// @return The number of minted tokens.
    function totalMinted() external view returns (uint256) {
        return _lastTokenId;
    }

    /// @notice The agent's identity as a `data:application/json;base64` URI (ERC-721 metadata shaped
    /// like an ERC-8004 registration file), read live: its wallet, chat endpoint and charter.
    /// @param tokenId The agent.
    /// @return The data URI.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return _identityURI(tokenId);
    }

    /// @notice The same identity as plain JSON (what `tokenURI` encodes).
    /// @param tokenId The agent.
    /// @return The JSON text.
    function identityOf(uint256 tokenId) external view returns (string memory) {
        _requireOwned(tokenId);
        return _identityJson(tokenId);
    }

    // --------------------------------------------------------------- internal

    function _identityHolder(uint256 tokenId) internal view override returns (address) {
        return _ownerOf(tokenId);
    }
}
