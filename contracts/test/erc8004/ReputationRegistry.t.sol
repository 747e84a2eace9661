// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IdentityRegistry} from "../../src/erc8004/IdentityRegistry.sol";
import {ReputationRegistry} from "../../src/erc8004/ReputationRegistry.sol";

/// @dev ERC-8004 Reputation Registry: feedback, revocation, responses, and summaries filtered by
/// the clients a reader trusts.
contract ReputationRegistryTest is Test {
    IdentityRegistry internal identity;
    ReputationRegistry internal reputation;
    address internal provider = makeAddr("provider");
    address internal agentA = makeAddr("agentA");
    address internal agentB = makeAddr("agentB");
    address internal sybil = makeAddr("sybil");
    uint256 internal providerId;

    event NewFeedback(
        uint256 indexed agentId,
        address indexed clientAddress,
        uint64 feedbackIndex,
        int128 value,
        uint8 valueDecimals,
        string indexed indexedTag1,
        string tag1,
        string tag2,
        string endpoint,
        string feedbackURI,
        bytes32 feedbackHash
    );

    function setUp() public {
        identity = new IdentityRegistry();
        reputation = new ReputationRegistry(address(identity));
        vm.prank(provider);
        providerId = identity.register("https://provider/.well-known/agent-registration.json");
    }

    function give(address client, int128 value, uint8 decimals, string memory tag1) internal {
        vm.prank(client);
        reputation.giveFeedback(providerId, value, decimals, tag1, "", "https://provider/v1", "", bytes32(0));
    }

    function clients(address a) internal pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = a;
    }

    function clients(address a, address b) internal pure returns (address[] memory list) {
        list = new address[](2);
        list[0] = a;
        list[1] = b;
    }

    function test_GiveFeedback_StoresAndEmits() public {
        assertEq(reputation.getIdentityRegistry(), address(identity));
        vm.expectEmit(true, true, true, true);
        emit NewFeedback(providerId, agentA, 1, 87, 0, "y2c.audit", "y2c.audit", "", "https://provider/v1", "", bytes32(0));
        give(agentA, 87, 0, "y2c.audit");
        (int128 value, uint8 decimals, string memory tag1, string memory tag2, bool revoked) =
            reputation.readFeedback(providerId, agentA, 1);
        assertEq(value, 87);
        assertEq(decimals, 0);
        assertEq(tag1, "y2c.audit");
        assertEq(tag2, "");
        assertFalse(revoked);
        assertEq(reputation.getLastIndex(providerId, agentA), 1);
        assertEq(reputation.getClients(providerId).length, 1);
    }

    function test_GetSummary_FiltersByClientAndTag() public {
        give(agentA, 80, 0, "y2c.audit");
        give(agentA, 905, 1, "y2c.audit"); // 90.5
        give(agentB, 10, 0, "other");
        give(sybil, 100, 0, "y2c.audit");
        give(sybil, 100, 0, "y2c.audit");
        (uint64 count, int128 value, uint8 decimals) = reputation.getSummary(providerId, clients(agentA), "y2c.audit", "");
        assertEq(count, 2);
        assertEq(decimals, 1);
        assertEq(value, 852, "(80 + 90.5) / 2 = 85.25, at one decimal 85.2");
        (count, value,) = reputation.getSummary(providerId, clients(agentA, agentB), "", "");
        assertEq(count, 3);
        (count,,) = reputation.getSummary(providerId, clients(agentB), "y2c.audit", "");
        assertEq(count, 0);
    }

    function test_RevokeFeedback_DropsItFromTheSummary() public {
        give(agentA, 20, 0, "y2c.audit");
        give(agentA, 80, 0, "y2c.audit");
        vm.prank(agentA);
        reputation.revokeFeedback(providerId, 1);
        (,,,, bool revoked) = reputation.readFeedback(providerId, agentA, 1);
        assertTrue(revoked);
        (uint64 count, int128 value,) = reputation.getSummary(providerId, clients(agentA), "", "");
        assertEq(count, 1);
        assertEq(value, 80);
    }

    function test_RevertWhen_RevokingTwiceOrSomeoneElses() public {
        give(agentA, 20, 0, "");
        vm.prank(agentB);
        vm.expectRevert(abi.encodeWithSelector(ReputationRegistry.ReputationRegistry_UnknownFeedback.selector, providerId, agentB, 1));
        reputation.revokeFeedback(providerId, 1);
        vm.startPrank(agentA);
        reputation.revokeFeedback(providerId, 1);
        vm.expectRevert(abi.encodeWithSelector(ReputationRegistry.ReputationRegistry_AlreadyRevoked.selector, providerId, agentA, 1));
        reputation.revokeFeedback(providerId, 1);
        vm.expectRevert(abi.encodeWithSelector(ReputationRegistry.ReputationRegistry_UnknownFeedback.selector, providerId, agentA, 0));
        reputation.revokeFeedback(providerId, 0);
        vm.stopPrank();
    }

    function test_RevertWhen_OwnerOrOperatorRatesItsOwnAgent() public {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ReputationRegistry.ReputationRegistry_SelfFeedback.selector, provider, providerId));
        reputation.giveFeedback(providerId, 100, 0, "", "", "", "", bytes32(0));
        address operator = makeAddr("operator");
        vm.prank(provider);
        identity.setApprovalForAll(operator, true);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ReputationRegistry.ReputationRegistry_SelfFeedback.selector, operator, providerId));
        reputation.giveFeedback(providerId, 100, 0, "", "", "", "", bytes32(0));
    }

    function test_RevertWhen_UnknownAgentOrBadDecimals() public {
        vm.prank(agentA);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 42));
        reputation.giveFeedback(42, 1, 0, "", "", "", "", bytes32(0));
        vm.prank(agentA);
        vm.expectRevert(abi.encodeWithSelector(ReputationRegistry.ReputationRegistry_InvalidDecimals.selector, 19));
        reputation.giveFeedback(providerId, 1, 19, "", "", "", "", bytes32(0));
    }

    function test_RevertWhen_SummaryWithoutClients() public {
        give(sybil, 100, 0, "");
        vm.expectRevert(ReputationRegistry.ReputationRegistry_ClientsRequired.selector);
        reputation.getSummary(providerId, new address[](0), "", "");
    }

    function test_AppendResponse_CountsByResponder() public {
        give(agentA, 10, 0, "");
        vm.prank(provider);
        reputation.appendResponse(providerId, agentA, 1, "ipfs://refund", bytes32(0));
        vm.prank(agentB);
        reputation.appendResponse(providerId, agentA, 1, "ipfs://spam", bytes32(0));
        assertEq(reputation.getResponseCount(providerId, agentA, 1, new address[](0)), 2);
        assertEq(reputation.getResponseCount(providerId, agentA, 1, clients(provider)), 1);
        vm.expectRevert(abi.encodeWithSelector(ReputationRegistry.ReputationRegistry_UnknownFeedback.selector, providerId, agentA, 2));
        reputation.appendResponse(providerId, agentA, 2, "ipfs://x", bytes32(0));
    }

    /// @dev Feedback from clients outside the trusted list never moves the trusted summary.
    function testFuzz_SybilFeedbackIsIgnored(int128 sybilValue, uint8 sybilDecimals, uint8 sybilCount, int128 trusted) public {
        sybilDecimals = uint8(bound(sybilDecimals, 0, 18));
        sybilCount = uint8(bound(sybilCount, 1, 8));
        trusted = int128(bound(trusted, -1e30, 1e30));
        give(agentA, trusted, 0, "y2c.audit");
        for (uint256 i; i < sybilCount; ++i) {
            give(address(uint160(0x5000 + i)), sybilValue, sybilDecimals, "y2c.audit");
        }
        (uint64 count, int128 value, uint8 decimals) = reputation.getSummary(providerId, clients(agentA), "y2c.audit", "");
        assertEq(count, 1);
        assertEq(value, trusted);
        assertEq(decimals, 0);
    }

    /// @dev The summary is the average of what the trusted clients said, at their largest decimals.
    function testFuzz_SummaryIsTheAverage(int64 a, int64 b) public {
        give(agentA, a, 0, "");
        give(agentB, b, 0, "");
        (uint64 count, int128 value,) = reputation.getSummary(providerId, clients(agentA, agentB), "", "");
        assertEq(count, 2);
        assertEq(value, int128((int256(a) + int256(b)) / 2));
    }
}
