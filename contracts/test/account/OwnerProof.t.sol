// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {AccountFixture} from "./AccountFixture.sol";
import {AgentAccount} from "../../src/account/AgentAccount.sol";
import {SessionKeys} from "../../src/account/SessionKeys.sol";

/// @dev A plain ERC-721: it reports no transfer to any account.
contract PlainNft is ERC721 {
    constructor() ERC721("Plain", "PLN") {}

    function mint(address to, uint256 id) external {
        _mint(to, id);
    }
}

/// @dev An ERC-721 that CLAIMS to report every transfer to every account but never does.
contract LyingReporterNft is ERC721 {
    constructor() ERC721("Liar", "LIE") {}

    function mint(address to, uint256 id) external {
        _mint(to, id);
    }

    function reportsTransfersTo(uint256, address) external pure returns (bool) {
        return true;
    }
}

/// @notice Owner binding without `ownerOf` (issue 17): execution skips the token contract only when the
/// account's own storage proves the grantor still holds the token. Every other account must still ask
/// the token contract, and a session of a previous owner must keep reverting.
contract OwnerProofTest is AccountFixture {
    /// @dev The canonical account of an AgentNFT: its session key's execution reads no `ownerOf`.
    function test_SessionExecutionOnReportingTokenCallsNoOwnerOf() public {
        grantDefault();
        vm.expectCall(address(nft), abi.encodeWithSelector(IERC721.ownerOf.selector, tokenId), 0);
        keyTransfer(recipient, 1);
        assertEq(account.getTokenSpent(key, address(token)), 1);
    }

    /// @dev The owner's own execution still asks the token contract (no session proves anything for it).
    function test_OwnerExecutionStillReadsOwnerOf() public {
        vm.expectCall(address(nft), abi.encodeWithSelector(IERC721.ownerOf.selector, tokenId), 1);
        vm.prank(owner);
        account.execute(recipient, 1, "", 0);
    }

    /// @dev Attack: a second account bound to the same AgentNFT token under another salt. AgentNFT reports
    /// transfers only to the canonical account, so this account's owner epoch never moves: trusting the
    /// epoch there would let the seller's session keys keep spending after the sale.
    function test_RevertWhen_NonCanonicalAccountSessionAfterNftSold() public {
        AgentAccount other = AgentAccount(
            payable(registry.createAccount(address(implementation), bytes32(uint256(1)), block.chainid, address(nft), tokenId))
        );
        token.mint(address(other), 1_000e18);
        vm.prank(owner);
        other.grantSession(key, defaultPolicy());
        sellNft();
        assertEq(other.ownerEpoch(), 0, "the token contract did not report the sale to this account");
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_OwnerChanged.selector, key, owner, buyer));
        vm.prank(key);
        other.execute(address(token), 0, transferCall(recipient, 1), 0);
    }

    /// @dev Attack: an account bound to a plain ERC-721 (no reports at all).
    function test_RevertWhen_PlainTokenSessionAfterSale() public {
        PlainNft plain = new PlainNft();
        plain.mint(owner, 7);
        _expectSessionDiesWithSale(address(plain));
    }

    /// @dev A token contract that claims to report but does not is a token that lies about its own
    /// transfers, like one whose `ownerOf` lies: the account trusts its token contract for ownership
    /// either way. This test documents that limit: the claim is believed, so the seller's session stays
    /// usable on such a token. AgentNFT keeps the promise (`test_RevertWhen_OldSessionAfterNftSold`).
    function test_LyingReporterIsTrustedLikeItsOwnerOf() public {
        LyingReporterNft liar = new LyingReporterNft();
        liar.mint(owner, 7);
        AgentAccount acc = AgentAccount(
            payable(registry.createAccount(address(implementation), bytes32(0), block.chainid, address(liar), 7))
        );
        token.mint(address(acc), 1_000e18);
        vm.prank(owner);
        acc.grantSession(key, defaultPolicy());
        vm.prank(owner);
        liar.transferFrom(owner, buyer, 7);
        vm.prank(key);
        acc.execute(address(token), 0, transferCall(recipient, 1), 0);
        assertEq(acc.getTokenSpent(key, address(token)), 1);
    }

    function _expectSessionDiesWithSale(address collection) private {
        AgentAccount acc = AgentAccount(
            payable(registry.createAccount(address(implementation), bytes32(0), block.chainid, collection, 7))
        );
        token.mint(address(acc), 1_000e18);
        vm.prank(owner);
        acc.grantSession(key, defaultPolicy());
        vm.prank(key);
        acc.execute(address(token), 0, transferCall(recipient, 1), 0); // works before the sale
        vm.prank(owner);
        IERC721(collection).transferFrom(owner, buyer, 7);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_OwnerChanged.selector, key, owner, buyer));
        vm.prank(key);
        acc.execute(address(token), 0, transferCall(recipient, 1), 0);
    }
}
