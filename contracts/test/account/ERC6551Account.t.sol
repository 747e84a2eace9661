// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {IAccount} from "@account-abstraction/contracts/interfaces/IAccount.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {AgentNFT} from "../../src/AgentNFT.sol";
import {AccountFixture} from "./AccountFixture.sol";
import {AgentAccount} from "../../src/account/AgentAccount.sol";
import {ERC6551Account} from "../../src/account/ERC6551Account.sol";
import {SessionKeys} from "../../src/account/SessionKeys.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";
import {IERC6551Account} from "../../src/erc6551/IERC6551Account.sol";
import {IERC6551Executable} from "../../src/erc6551/IERC6551Executable.sol";

contract Mock1155 is ERC1155("") {
    function mint(address to, uint256 id, uint256 amount) external {
        _mint(to, id, amount, "");
    }
}

contract ERC6551AccountTest is AccountFixture {
    function test_InterfaceIds() public view {
        assertEq(type(IERC6551Account).interfaceId, bytes4(0x6faff5f1));
        assertEq(type(IERC6551Executable).interfaceId, bytes4(0x51945447));
        assertTrue(account.supportsInterface(type(IERC165).interfaceId));
        assertTrue(account.supportsInterface(0x6faff5f1));
        assertTrue(account.supportsInterface(0x51945447));
        assertTrue(account.supportsInterface(type(IERC1271).interfaceId));
        assertTrue(account.supportsInterface(type(IAgentAccount).interfaceId));
        assertTrue(account.supportsInterface(type(IAccount).interfaceId));
        assertTrue(account.supportsInterface(type(IERC721Receiver).interfaceId));
        assertTrue(account.supportsInterface(type(IERC1155Receiver).interfaceId));
        assertFalse(account.supportsInterface(0xffffffff));
    }

    function test_OwnerFollowsTheNft() public {
        assertEq(account.owner(), owner);
        assertEq(account.isValidSigner(owner, ""), IERC6551Account.isValidSigner.selector);
        assertEq(account.isValidSigner(key, ""), bytes4(0));
        sellNft();
        assertEq(account.owner(), buyer);
        assertEq(account.isValidSigner(owner, ""), bytes4(0));
        assertEq(account.isValidSigner(buyer, ""), IERC6551Account.isValidSigner.selector);
    }

    function test_OwnerIsZeroOnOtherChain() public {
        vm.chainId(block.chainid + 1);
        assertEq(account.owner(), address(0));
        assertEq(account.isValidSigner(owner, ""), bytes4(0));
        assertEq(account.isValidSigner(address(0), ""), bytes4(0));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_NoSession.selector, owner));
        account.execute(recipient, 1, "", 0);
    }

    function test_Receive() public {
        uint256 before = address(account).balance;
        (bool ok,) = address(account).call{value: 1 ether}("");
        assertTrue(ok);
        assertEq(address(account).balance, before + 1 ether);
    }

    function test_IsValidSignature_OwnerOnly() public {
        grantDefault();
        bytes32 hash = keccak256("permit");
        // The owner signs the account-bound digest (issue 10 item 3: a bare hash would be valid for
        // every account the owner holds).
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerPk, account.replaySafeHash(hash));
        assertEq(account.isValidSignature(hash, abi.encodePacked(r, s, v)), IERC1271.isValidSignature.selector);
        (v, r, s) = vm.sign(keyPk, account.replaySafeHash(hash));
        assertEq(account.isValidSignature(hash, abi.encodePacked(r, s, v)), bytes4(0xffffffff), "session key");
        (v, r, s) = vm.sign(keyPk, MessageHashUtils.toEthSignedMessageHash(hash));
        assertEq(account.isValidSignature(hash, abi.encodePacked(key, r, s, v)), bytes4(0xffffffff), "userOp format");
        sellNft();
        (v, r, s) = vm.sign(ownerPk, account.replaySafeHash(hash));
        assertEq(account.isValidSignature(hash, abi.encodePacked(r, s, v)), bytes4(0xffffffff), "previous owner");
    }

    function test_IsValidSignature_OwnerIsAContractAccount() public {
        // token #1 is held by account B (a TBA of token #2 held by `owner`): owner's ERC-1271 is used.
        (AgentAccount accountB,) = newAccount(owner);
        vm.prank(owner);
        nft.safeTransferFrom(owner, address(accountB), tokenId);
        assertEq(account.owner(), address(accountB));
        bytes32 hash = keccak256("order");
        // A asks B about A's bound digest; B binds it again to itself: the owner signs the nesting.
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerPk, accountB.replaySafeHash(account.replaySafeHash(hash)));
        assertEq(account.isValidSignature(hash, abi.encodePacked(r, s, v)), IERC1271.isValidSignature.selector);
    }

    function test_ReceivesUnrelatedNftsAnd1155() public {
        uint256 other = nft.mint(owner);
        vm.prank(owner);
        nft.safeTransferFrom(owner, address(account), other);
        assertEq(nft.ownerOf(other), address(account));
        Mock1155 multi = new Mock1155();
        multi.mint(address(account), 1, 5);
        assertEq(multi.balanceOf(address(account), 1), 5);
        uint256[] memory ids = new uint256[](2);
        ids[0] = 2;
        ids[1] = 3;
        uint256[] memory amounts = new uint256[](2);
        amounts[0] = 1;
        amounts[1] = 1;
        vm.prank(address(account));
        multi.safeBatchTransferFrom(address(account), address(account), ids, new uint256[](2), "");
    }

    function test_RevertWhen_OwnershipCycleDirect() public {
        // AgentNFT refuses it itself now (issue 10 item 4, also for plain transferFrom) ...
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(AgentNFT.AgentNFT_OwnershipCycle.selector, tokenId, address(account)));
        nft.safeTransferFrom(owner, address(account), tokenId);
        // ... and the account's receiver hook still refuses it for collections that do not.
        vm.prank(address(nft));
        vm.expectRevert(
            abi.encodeWithSelector(ERC6551Account.ERC6551Account_OwnershipCycle.selector, address(nft), tokenId)
        );
        account.onERC721Received(owner, owner, tokenId, "");
    }

    function test_RevertWhen_OwnershipCycleThroughChain() public {
        // A (token 1) holds token 2; B (token 2) holds token 3; C (token 3) must refuse token 1.
        (AgentAccount accountB, uint256 id2) = newAccount(owner);
        (AgentAccount accountC, uint256 id3) = newAccount(owner);
        vm.startPrank(owner);
        nft.safeTransferFrom(owner, address(account), id2);
        nft.safeTransferFrom(owner, address(accountB), id3);
        vm.expectRevert(abi.encodeWithSelector(AgentNFT.AgentNFT_OwnershipCycle.selector, tokenId, address(accountC)));
        nft.safeTransferFrom(owner, address(accountC), tokenId);
        vm.expectRevert(abi.encodeWithSelector(AgentNFT.AgentNFT_OwnershipCycle.selector, tokenId, address(accountB)));
        nft.safeTransferFrom(owner, address(accountB), tokenId);
        vm.stopPrank();
        // The accounts' own receiver hooks still refuse it (for collections that do not check).
        vm.startPrank(address(nft));
        vm.expectRevert(
            abi.encodeWithSelector(ERC6551Account.ERC6551Account_OwnershipCycle.selector, address(nft), tokenId)
        );
        accountC.onERC721Received(owner, owner, tokenId, "");
        vm.expectRevert(
            abi.encodeWithSelector(ERC6551Account.ERC6551Account_OwnershipCycle.selector, address(nft), tokenId)
        );
        accountB.onERC721Received(owner, owner, tokenId, "");
        vm.startPrank(owner);
        vm.stopPrank();
    }

    function test_CycleCheckIgnoresLookalikeContracts() public {
        // A contract with an account-like footer but not made by the registry is not followed.
        bytes memory fake = address(account).code;
        address lookalike = makeAddr("lookalike");
        vm.etch(lookalike, fake);
        // The lookalike (a copy of account #1's code) holds token #2; account #2 receiving token #1
        // would be a cycle only if the lookalike were the real account #1: it is not, so it is accepted.
        (AgentAccount acc2, uint256 id2) = newAccount(owner);
        vm.prank(owner);
        nft.transferFrom(owner, lookalike, id2);
        vm.prank(owner);
        nft.safeTransferFrom(owner, address(acc2), tokenId);
        assertEq(nft.ownerOf(tokenId), address(acc2));
    }

    function test_StateChangesOnEveryMutation() public {
        uint256 s0 = account.state();
        vm.prank(owner);
        account.setGuardian(buyer);
        assertEq(account.state(), s0 + 1);
        grantDefault();
        assertEq(account.state(), s0 + 2);
        keyTransfer(recipient, 1);
        assertEq(account.state(), s0 + 3);
        vm.prank(owner);
        account.execute(recipient, 1, "", 0);
        assertEq(account.state(), s0 + 4);
        vm.prank(owner);
        account.revokeSession(key);
        assertEq(account.state(), s0 + 5);
    }
}
