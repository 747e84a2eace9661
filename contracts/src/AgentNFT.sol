// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {ERC6551_REGISTRY_ADDRESS} from "./erc6551/ERC6551RegistryDeployment.sol";
import {ITokenTransferHook} from "./interfaces/ITokenTransferHook.sol";
import {ITokenTransferReporter} from "./interfaces/ITokenTransferReporter.sol";
import {AgentIdentity} from "./identity/AgentIdentity.sol";

/// @title AgentNFT
/// @notice One token per y2c agent; the token's ERC-6551 account is the agent's wallet. `tokenURI`
/// is the agent's live identity (see `AgentIdentity`).
/// @dev Minting is restricted to the contract owner. Token ids are sequential from 1. On every
/// transfer the token's canonical account (the registry's account for `accountImplementation` and
/// `accountSalt`), if deployed, is told through `ITokenTransferHook.onTokenTransfer`, so that it can
/// refuse its previous owner's session keys already in ERC-4337 validation. Every transfer, plain
/// `transferFrom` included (it skips the receiver hook), is refused if it would close an ownership
/// cycle: into the token's own account, or into an ERC-6551 account whose chain of holders (up to
/// `_MAX_CYCLE_DEPTH` links) reaches it.
contract AgentNFT is ERC721, Ownable, AgentIdentity, ITokenTransferReporter {
    // ----------------------------------------------------------------- errors

    /// @notice Sending `tokenId` to `to` would make the token own (directly or through a chain of token
    /// bound accounts) the account that holds it, locking both forever.
    error AgentNFT_OwnershipCycle(uint256 tokenId, address to);

    // ---------------------------------------------------------------- storage

    /// @dev How many token bound accounts up from the recipient the cycle check follows.
    uint256 private constant _MAX_CYCLE_DEPTH = 5;

    /// @notice The account implementation of the agents' token bound accounts.
    address public immutable accountImplementation;
    /// @notice The registry salt of the agents' token bound accounts.
    bytes32 public immutable accountSalt;

    /// @dev The id of the last minted token (0 before the first mint).
    uint256 private _lastTokenId;

    // ------------------------------------------------------------ constructor

    /// @param initialOwner The address allowed to mint.
    /// @param accountImplementation_ The AgentAccount implementation the agents' accounts use.
    /// @param accountSalt_ The registry salt the agents' accounts use.
    constructor(address initialOwner, address accountImplementation_, bytes32 accountSalt_)
        ERC721("y2c Agent", "Y2C")
        Ownable(initialOwner)
    {
        accountImplementation = accountImplementation_;
        accountSalt = accountSalt_;
    }

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

    /// @notice The canonical token bound account of `tokenId` (deployed or not), as the ERC-6551
    /// registry computes it for `accountImplementation` and `accountSalt` on this chain.
    /// @param tokenId The token id.
    /// @return The account address.
    function accountOf(uint256 tokenId) public view returns (address) {
        bytes32 initCodeHash = keccak256(
            abi.encodePacked(
                hex"3d60ad80600a3d3981f3363d3d373d3d3d363d73",
                accountImplementation,
                hex"5af43d82803e903d91602b57fd5bf3",
                abi.encode(accountSalt, block.chainid, address(this), tokenId)
            )
        );
        return address(
            uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), ERC6551_REGISTRY_ADDRESS, accountSalt, initCodeHash))))
        );
    }

    /// @notice The agent's identity as a `data:application/json;base64` URI (ERC-721 metadata shaped
    /// like an ERC-8004 registration file), read live: its wallet, chat endpoint and charter.
    /// @param tokenId The agent.
    /// @return The data URI.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return _identityURI(tokenId);
    }

    /// @notice Whether every transfer of `tokenId` is reported to `account` (ITokenTransferReporter): true
    /// for the token's canonical account, the only one `_update` tells.
    /// @param tokenId The token.
    /// @param account The account asking.
    /// @return True if `account` is `accountOf(tokenId)`.
    function reportsTransfersTo(uint256 tokenId, address account) external view returns (bool) {
        return account == accountOf(tokenId);
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

    function _identityWallet(uint256 tokenId) internal view override returns (address) {
        return accountOf(tokenId);
    }

    /// @dev Every transfer (mint and burn included) refuses ownership cycles and tells the token's
    /// account, if deployed.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        address account = accountOf(tokenId);
        _revertIfCycle(tokenId, to, account);
        from = super._update(to, tokenId, auth);
        if (account.code.length != 0) ITokenTransferHook(account).onTokenTransfer();
    }

    /// @dev Reverts if `to` is `account` (the token's own) or an ERC-6551 account (of any collection
    /// on this chain) whose holder chain reaches `account` within `_MAX_CYCLE_DEPTH` links.
    function _revertIfCycle(uint256 tokenId, address to, address account) private view {
        address current = to;
        for (uint256 depth; depth <= _MAX_CYCLE_DEPTH; ++depth) {
            if (current == account) revert AgentNFT_OwnershipCycle(tokenId, to);
            if (current.code.length == 0 || depth == _MAX_CYCLE_DEPTH) return;
            (bool ok, bytes memory ret) = current.staticcall(abi.encodeWithSignature("token()"));
            if (!ok || ret.length < 96) return;
            (uint256 chainId, address tokenContract, uint256 boundId) = abi.decode(ret, (uint256, address, uint256));
            if (chainId != block.chainid || tokenContract.code.length == 0) return;
            (ok, ret) = tokenContract.staticcall(abi.encodeWithSignature("ownerOf(uint256)", boundId));
            if (!ok || ret.length < 32) return;
            current = abi.decode(ret, (address));
        }
    }
}
