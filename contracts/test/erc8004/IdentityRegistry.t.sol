// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {AccountFixture} from "../account/AccountFixture.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";
import {IdentityRegistry} from "../../src/erc8004/IdentityRegistry.sol";

/// @dev ERC-8004 Identity Registry: registration, agent URI, metadata, and the agent wallet proved by
/// an EOA's EIP-712 signature or, for the agent's own token bound account, through its ERC-1271.
contract IdentityRegistryTest is AccountFixture {
    IdentityRegistry internal identity;
    address internal alice;
    uint256 internal alicePk = 0xA1;
    uint256 internal walletPk = 0xB0B;
    address internal wallet;

    event Registered(uint256 indexed agentId, string agentURI, address indexed owner);
    event URIUpdated(uint256 indexed agentId, string newURI, address indexed updatedBy);

    function setUp() public override {
        super.setUp();
        identity = new IdentityRegistry();
        alice = vm.addr(alicePk);
        wallet = vm.addr(walletPk);
    }

    // ------------------------------------------------------------ helpers

    function registerAs(address who, string memory uri) internal returns (uint256 agentId) {
        vm.prank(who);
        agentId = identity.register(uri);
    }

    function walletSig(uint256 pk, uint256 agentId, address newWallet, address agentOwner, uint256 deadline)
        internal
        view
        returns (bytes memory)
    {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, identity.agentWalletDigest(agentId, newWallet, agentOwner, deadline));
        return abi.encodePacked(r, s, v);
    }

    /// @dev The digest built by hand from the ERC's type string and domain, not by the contract.
    function expectedDigest(uint256 agentId, address newWallet, address agentOwner, uint256 deadline) internal view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("ERC8004IdentityRegistry"),
                keccak256("1"),
                block.chainid,
                address(identity)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)"),
                agentId,
                newWallet,
                agentOwner,
                deadline
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    /// @dev The TBA (driven by its owner) registers itself and returns its agent id.
    function tbaRegisters() internal returns (uint256 agentId) {
        vm.prank(owner);
        bytes memory result =
            account.execute(address(identity), 0, abi.encodeWithSignature("register(string)", "data:application/json,{}"), 0);
        agentId = abi.decode(result, (uint256));
    }

    // ------------------------------------------------------------ registration

    function test_Register_MintsIncrementalIdsWithOwnerAsWallet() public {
        vm.expectEmit(true, true, false, true);
        emit Registered(1, "ipfs://a", alice);
        uint256 first = registerAs(alice, "ipfs://a");
        uint256 second = registerAs(alice, "");
        assertEq(first, 1);
        assertEq(second, 2);
        assertEq(identity.ownerOf(first), alice);
        assertEq(identity.tokenURI(first), "ipfs://a");
        assertEq(identity.getAgentWallet(first), alice, "the owner is the initial wallet");
        assertEq(identity.totalAgents(), 2);
        assertEq(identity.name(), "AgentIdentity");
    }

    function test_Register_WithMetadata() public {
        IdentityRegistry.MetadataEntry[] memory entries = new IdentityRegistry.MetadataEntry[](1);
        entries[0] = IdentityRegistry.MetadataEntry("agentName", bytes("y2c"));
        vm.prank(alice);
        uint256 agentId = identity.register("ipfs://a", entries);
        assertEq(identity.getMetadata(agentId, "agentName"), bytes("y2c"));
    }

    function test_RevertWhen_RegisterSetsReservedWalletKey() public {
        IdentityRegistry.MetadataEntry[] memory entries = new IdentityRegistry.MetadataEntry[](1);
        entries[0] = IdentityRegistry.MetadataEntry("agentWallet", abi.encodePacked(wallet));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IdentityRegistry.IdentityRegistry_ReservedKey.selector, "agentWallet"));
        identity.register("ipfs://a", entries);
    }

    function test_SetAgentURI_ByOwnerAndOperator() public {
        uint256 agentId = registerAs(alice, "ipfs://a");
        vm.expectEmit(true, true, false, true);
        emit URIUpdated(agentId, "ipfs://b", alice);
        vm.prank(alice);
        identity.setAgentURI(agentId, "ipfs://b");
        assertEq(identity.tokenURI(agentId), "ipfs://b");
        address operator = makeAddr("operator");
        vm.prank(alice);
        identity.setApprovalForAll(operator, true);
        vm.prank(operator);
        identity.setAgentURI(agentId, "ipfs://c");
        assertEq(identity.tokenURI(agentId), "ipfs://c");
    }

    function test_RevertWhen_StrangerSetsURIOrMetadata() public {
        uint256 agentId = registerAs(alice, "ipfs://a");
        address mallory = makeAddr("mallory");
        vm.startPrank(mallory);
        vm.expectRevert(abi.encodeWithSelector(IdentityRegistry.IdentityRegistry_NotAuthorized.selector, mallory, agentId));
        identity.setAgentURI(agentId, "ipfs://evil");
        vm.expectRevert(abi.encodeWithSelector(IdentityRegistry.IdentityRegistry_NotAuthorized.selector, mallory, agentId));
        identity.setMetadata(agentId, "agentName", "evil");
        vm.expectRevert(abi.encodeWithSelector(IdentityRegistry.IdentityRegistry_UnknownAgent.selector, 99));
        identity.setAgentURI(99, "ipfs://evil");
        vm.stopPrank();
    }

    function test_RevertWhen_SetMetadataReservedKey() public {
        uint256 agentId = registerAs(alice, "ipfs://a");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IdentityRegistry.IdentityRegistry_ReservedKey.selector, "agentWallet"));
        identity.setMetadata(agentId, "agentWallet", abi.encodePacked(wallet));
    }

    // ------------------------------------------------------------ agent wallet (EOA)

    function test_SetAgentWallet_WithTheWalletsEip712Signature() public {
        uint256 agentId = registerAs(alice, "ipfs://a");
        uint256 deadline = block.timestamp + 60;
        assertEq(identity.agentWalletDigest(agentId, wallet, alice, deadline), expectedDigest(agentId, wallet, alice, deadline));
        bytes memory sig = walletSig(walletPk, agentId, wallet, alice, deadline);
        vm.prank(alice);
        identity.setAgentWallet(agentId, wallet, deadline, sig);
        assertEq(identity.getAgentWallet(agentId), wallet);
        assertEq(identity.getMetadata(agentId, "agentWallet"), abi.encodePacked(wallet));
    }

    function test_RevertWhen_WalletSignatureIsNotTheWallets() public {
        uint256 agentId = registerAs(alice, "ipfs://a");
        uint256 deadline = block.timestamp + 60;
        // The owner signs for a wallet it does not control.
        bytes memory sig = walletSig(alicePk, agentId, wallet, alice, deadline);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IdentityRegistry.IdentityRegistry_InvalidWalletSignature.selector, wallet));
        identity.setAgentWallet(agentId, wallet, deadline, sig);
        assertEq(identity.getAgentWallet(agentId), alice);
    }

    function test_RevertWhen_WalletProofExpired() public {
        uint256 agentId = registerAs(alice, "ipfs://a");
        uint256 deadline = block.timestamp + 60;
        bytes memory sig = walletSig(walletPk, agentId, wallet, alice, deadline);
        vm.warp(deadline + 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IdentityRegistry.IdentityRegistry_ProofExpired.selector, deadline, deadline + 1));
        identity.setAgentWallet(agentId, wallet, deadline, sig);
    }

    function test_RevertWhen_WalletDeadlineTooFar() public {
        uint256 agentId = registerAs(alice, "ipfs://a");
        uint256 deadline = block.timestamp + 5 minutes + 1;
        bytes memory sig = walletSig(walletPk, agentId, wallet, alice, deadline);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IdentityRegistry.IdentityRegistry_DeadlineTooFar.selector, deadline, block.timestamp + 5 minutes)
        );
        identity.setAgentWallet(agentId, wallet, deadline, sig);
    }

    function test_RevertWhen_WalletProofReplayed() public {
        uint256 agentId = registerAs(alice, "ipfs://a");
        uint256 deadline = block.timestamp + 60;
        bytes memory sig = walletSig(walletPk, agentId, wallet, alice, deadline);
        vm.startPrank(alice);
        identity.setAgentWallet(agentId, wallet, deadline, sig);
        identity.unsetAgentWallet(agentId);
        assertEq(identity.getAgentWallet(agentId), address(0));
        bytes32 digest = identity.agentWalletDigest(agentId, wallet, alice, deadline);
        vm.expectRevert(abi.encodeWithSelector(IdentityRegistry.IdentityRegistry_ProofUsed.selector, digest));
        identity.setAgentWallet(agentId, wallet, deadline, sig);
        vm.stopPrank();
    }

    function test_RevertWhen_StrangerSetsWallet() public {
        uint256 agentId = registerAs(alice, "ipfs://a");
        address mallory = vm.addr(0xBAD);
        uint256 deadline = block.timestamp + 60;
        // Mallory's own consent, for Alice's agent: only Alice (or her operator) may use it.
        bytes memory sig = walletSig(0xBAD, agentId, mallory, alice, deadline);
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(IdentityRegistry.IdentityRegistry_NotAuthorized.selector, mallory, agentId));
        identity.setAgentWallet(agentId, mallory, deadline, sig);
    }

    function test_RevertWhen_ProofNamesAnotherOwner() public {
        uint256 agentId = registerAs(alice, "ipfs://a");
        uint256 deadline = block.timestamp + 60;
        // The wallet consented to an agent owned by someone else: void once the agent is Alice's.
        bytes memory sig = walletSig(walletPk, agentId, wallet, makeAddr("previous"), deadline);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IdentityRegistry.IdentityRegistry_InvalidWalletSignature.selector, wallet));
        identity.setAgentWallet(agentId, wallet, deadline, sig);
    }

    function test_Transfer_ClearsTheWallet() public {
        uint256 agentId = registerAs(alice, "ipfs://a");
        address bob = makeAddr("bob");
        vm.prank(alice);
        identity.transferFrom(alice, bob, agentId);
        assertEq(identity.ownerOf(agentId), bob);
        assertEq(identity.getAgentWallet(agentId), address(0), "the new owner must prove its own wallet");
    }

    function testFuzz_OnlyTheWalletKeyProvesTheWallet(uint256 signerPk, uint256 deadlineDelay) public {
        signerPk = bound(signerPk, 1, 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140);
        deadlineDelay = bound(deadlineDelay, 0, 5 minutes);
        uint256 agentId = registerAs(alice, "ipfs://a");
        uint256 deadline = block.timestamp + deadlineDelay;
        bytes memory sig = walletSig(signerPk, agentId, wallet, alice, deadline);
        vm.prank(alice);
        if (signerPk != walletPk) {
            vm.expectRevert(abi.encodeWithSelector(IdentityRegistry.IdentityRegistry_InvalidWalletSignature.selector, wallet));
        }
        identity.setAgentWallet(agentId, wallet, deadline, sig);
        assertEq(identity.getAgentWallet(agentId), signerPk == walletPk ? wallet : alice);
    }

    // ------------------------------------------------------------ agent wallet (the TBA, ERC-1271)

    function test_TbaRegistersItself_AndProvesItselfAsWalletThroughErc1271() public {
        uint256 agentId = tbaRegisters();
        assertEq(identity.ownerOf(agentId), address(account));
        uint256 deadline = block.timestamp + 300;
        bytes32 digest = identity.agentWalletDigest(agentId, address(account), address(account), deadline);
        // The TBA's owner signs the account-bound replay-safe hash; the registry asks the TBA (ERC-1271).
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerPk, account.replaySafeHash(digest));
        vm.prank(owner);
        account.execute(
            address(identity),
            0,
            abi.encodeCall(IdentityRegistry.setAgentWallet, (agentId, address(account), deadline, abi.encodePacked(r, s, v))),
            0
        );
        assertEq(identity.getAgentWallet(agentId), address(account));
    }

    function test_RevertWhen_SessionKeySignsAsTheTba() public {
        uint256 agentId = tbaRegisters();
        uint256 deadline = block.timestamp + 300;
        bytes32 digest = identity.agentWalletDigest(agentId, address(account), address(account), deadline);
        // A session key can never sign for the account, even over the replay-safe hash.
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(keyPk, account.replaySafeHash(digest));
        vm.prank(owner);
        vm.expectRevert();
        account.execute(
            address(identity),
            0,
            abi.encodeCall(IdentityRegistry.setAgentWallet, (agentId, address(account), deadline, abi.encodePacked(r, s, v))),
            0
        );
        // The owner's raw signature of the digest (not replay-safe) is refused too.
        (v, r, s) = vm.sign(ownerPk, digest);
        vm.prank(owner);
        vm.expectRevert();
        account.execute(
            address(identity),
            0,
            abi.encodeCall(IdentityRegistry.setAgentWallet, (agentId, address(account), deadline, abi.encodePacked(r, s, v))),
            0
        );
    }

    function test_SessionKeyUpdatesTheAgentURIWhenGranted() public {
        uint256 agentId = tbaRegisters();
        IAgentAccount.SessionPolicy memory p = emptyPolicy();
        p.calls = new IAgentAccount.CallPermission[](1);
        p.calls[0] = IAgentAccount.CallPermission(address(identity), IdentityRegistry.setAgentURI.selector);
        grant(key, p);
        vm.prank(key);
        account.execute(address(identity), 0, abi.encodeCall(IdentityRegistry.setAgentURI, (agentId, "https://agent/x.json")), 0);
        assertEq(identity.tokenURI(agentId), "https://agent/x.json");
        // The same key cannot move the identity away (transferFrom is not granted).
        vm.prank(key);
        vm.expectRevert();
        account.execute(
            address(identity),
            0,
            abi.encodeWithSignature("transferFrom(address,address,uint256)", address(account), key, agentId),
            0
        );
        assertEq(identity.ownerOf(agentId), address(account));
    }

    function test_RevertWhen_UnknownAgentWallet() public {
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 7));
        identity.getAgentWallet(7);
    }
}
