// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

import {AccountFixture} from "./AccountFixture.sol";
import {ContractSigner} from "../market/utils/ContractSigner.sol";
import {AgentAccount} from "../../src/account/AgentAccount.sol";

/// @dev Issue 10 item 3, "ERC-1271 replay across accounts": an owner's signature for one of its
/// accounts must not be valid for another account it holds.
contract Erc1271ReplayTest is AccountFixture {
    bytes4 internal constant MAGIC = IERC1271.isValidSignature.selector;
    bytes4 internal constant INVALID = 0xffffffff;

    /// @dev What the owner signs for `acc`: EIP-712 `AgentAccountMessage(bytes32 hash)` under the
    /// account's own domain (name "AgentAccount", version "1", chain id, the account).
    function digestFor(address acc, bytes32 hash) internal view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("AgentAccount"),
                keccak256("1"),
                block.chainid,
                acc
            )
        );
        bytes32 structHash = keccak256(abi.encode(keccak256("AgentAccountMessage(bytes32 hash)"), hash));
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function sign(uint256 pk, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        return abi.encodePacked(r, s, v);
    }

    function test_Erc1271Replay_SignatureForOneAccountRefusedByAnother() public {
        (AgentAccount accountB,) = newAccount(owner); // the same owner holds a second agent
        bytes32 hash = keccak256("permit for account A");
        // A signature of the bare hash (what every account of the owner used to accept) is refused.
        bytes memory bare = sign(ownerPk, hash);
        assertEq(accountB.isValidSignature(hash, bare), INVALID, "account B accepted a signature meant for A");
        assertEq(account.isValidSignature(hash, bare), INVALID, "bare hash");
        // Bound to A: valid for A only.
        bytes memory forA = sign(ownerPk, digestFor(address(account), hash));
        assertEq(account.isValidSignature(hash, forA), MAGIC);
        assertEq(accountB.isValidSignature(hash, forA), INVALID, "replayed on B");
        assertEq(account.replaySafeHash(hash), digestFor(address(account), hash));
    }

    function test_Erc1271Replay_ContractOwnerWorksAndIsBound() public {
        // The NFT is held by an ERC-1271 wallet (as by a timelock or a multisig).
        ContractSigner wallet = new ContractSigner(owner);
        vm.prank(owner);
        nft.transferFrom(owner, address(wallet), tokenId);
        (AgentAccount accountB, uint256 idB) = newAccount(owner);
        vm.prank(owner);
        nft.transferFrom(owner, address(wallet), idB);
        bytes32 hash = keccak256("order");
        bytes memory forA = sign(ownerPk, digestFor(address(account), hash));
        assertEq(account.isValidSignature(hash, forA), MAGIC);
        assertEq(accountB.isValidSignature(hash, forA), INVALID, "replayed on B");
    }
}
