// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {GovernanceFixture} from "../governance/GovernanceFixture.sol";
import {AgentIdentity} from "../../src/identity/AgentIdentity.sol";

/// @dev The NFT carries the agent: a live ERC-8004-shaped identity, set by its holder (the timelock).
contract TokenURITest is GovernanceFixture {
    string internal constant ENDPOINT = "http://127.0.0.1:8788";

    function _profile(string memory endpoint) internal view returns (AgentIdentity.Profile memory) {
        return AgentIdentity.Profile({charter: address(charter), chatEndpoint: endpoint});
    }

    function test_IdentityNamesWalletEndpointAndCharter() public {
        vm.prank(address(timelock));
        nft.setProfile(1, _profile(ENDPOINT));
        string memory json = nft.identityOf(1);
        assertEq(vm.parseJsonString(json, ".name"), "y2c agent #1");
        assertEq(vm.parseJsonAddress(json, ".wallet"), address(account));
        assertEq(nft.walletOf(1), address(account));
        assertEq(vm.parseJsonString(json, ".endpoints[0].name"), "chat");
        assertEq(vm.parseJsonString(json, ".endpoints[0].endpoint"), ENDPOINT);
        assertEq(vm.parseJsonUint(json, ".registrations[0].agentId"), 1);
        assertEq(vm.parseJsonAddress(json, ".charter.address"), address(charter));
        assertEq(vm.parseJsonUint(json, ".charter.version"), 1);
        assertEq(vm.parseJsonBytes32(json, ".charter.constitutionHash"), charter.constitutionHash());
        assertEq(nft.tokenURI(1), string.concat("data:application/json;base64,", Base64.encode(bytes(json))));
    }

    function test_IdentityFollowsTheCharterLive() public {
        vm.prank(address(timelock));
        nft.setProfile(1, _profile(ENDPOINT));
        string memory text = "Version two.";
        vm.prank(address(timelock));
        charter.update(text, _limits(30 days));
        string memory json = nft.identityOf(1);
        assertEq(vm.parseJsonUint(json, ".charter.version"), 2);
        assertEq(vm.parseJsonBytes32(json, ".charter.constitutionHash"), keccak256(bytes(text)));
    }

    function test_IdentityWithoutProfileIsStillValidJson() public view {
        string memory json = nft.identityOf(1);
        // The wallet is the NFT's canonical account, known before any profile is set.
        assertEq(vm.parseJsonAddress(json, ".wallet"), address(account));
        assertEq(vm.parseJsonUint(json, ".charter.version"), 0);
    }

    function test_RevertWhen_NonHolderSetsProfile() public {
        vm.prank(deployer);
        vm.expectRevert(abi.encodeWithSelector(AgentIdentity.AgentIdentity_NotHolder.selector, deployer, 1));
        nft.setProfile(1, _profile(ENDPOINT));
    }

    function test_RevertWhen_EndpointWouldBreakTheJson() public {
        string memory evil = 'x","wallet":"0x0000000000000000000000000000000000000bad';
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(AgentIdentity.AgentIdentity_UnsafeString.selector, evil));
        nft.setProfile(1, _profile(evil));
    }

    function test_RevertWhen_UnmintedToken() public {
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 2));
        nft.tokenURI(2);
    }

    function test_ProfileSetThroughAVote() public {
        bytes memory call = abi.encodeCall(AgentIdentity.setProfile, (1, _profile("https://agent.example")));
        uint256 id = _propose(alice, address(nft), call, "publish the endpoint");
        _toActive(id);
        _vote(alice, id, 1);
        _toEnd(id);
        _queue(address(nft), call, "publish the endpoint");
        vm.warp(block.timestamp + TIMELOCK_DELAY);
        _execute(address(nft), call, "publish the endpoint");
        assertEq(vm.parseJsonString(nft.identityOf(1), ".endpoints[0].endpoint"), "https://agent.example");
    }
}
