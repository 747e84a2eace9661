// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccountFixture} from "./AccountFixture.sol";
import {AgentAccount} from "../../src/account/AgentAccount.sol";

/// @dev Issue 10 item 4, "ownership cycle by transferFrom": plain `transferFrom` skips
/// `onERC721Received`, so AgentNFT itself must refuse sending a token into its own account (or into
/// an account that the token's account holds), which would lock both forever.
contract OwnershipCycleTest is AccountFixture {
    function test_OwnershipCycle_TransferFromIntoOwnAccountRefused() public {
        vm.prank(owner);
        (bool ok,) = address(nft).call(abi.encodeCall(nft.transferFrom, (owner, address(account), tokenId)));
        assertFalse(ok, "the token was sent into its own account");
        assertEq(nft.ownerOf(tokenId), owner);
    }

    function test_OwnershipCycle_TransferFromThroughAnotherAccountRefused() public {
        // Token #2's account B is held by A (token #1's account); sending #1 into B closes A -> B -> A.
        (AgentAccount accountB, uint256 idB) = newAccount(owner);
        vm.prank(owner);
        nft.transferFrom(owner, address(account), idB);
        assertEq(accountB.owner(), address(account));
        vm.prank(owner);
        (bool ok,) = address(nft).call(abi.encodeCall(nft.transferFrom, (owner, address(accountB), tokenId)));
        assertFalse(ok, "the token was sent into an account its own account holds");
        assertEq(nft.ownerOf(tokenId), owner);
    }

    function test_OwnershipCycle_UnrelatedAccountsStillReceive() public {
        (AgentAccount accountB,) = newAccount(owner);
        vm.prank(owner);
        nft.transferFrom(owner, address(accountB), tokenId);
        assertEq(nft.ownerOf(tokenId), address(accountB));
    }
}
