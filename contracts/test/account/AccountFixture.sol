// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {EntryPoint} from "@account-abstraction/contracts/core/EntryPoint.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {IAccountExecute} from "@account-abstraction/contracts/interfaces/IAccountExecute.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {AgentNFT} from "../../src/AgentNFT.sol";
import {AgentAccount} from "../../src/account/AgentAccount.sol";
import {Operation} from "../../src/account/ExecutionLib.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";
import {IERC6551Registry} from "../../src/erc6551/IERC6551Registry.sol";
import {
    DETERMINISTIC_DEPLOYER,
    DETERMINISTIC_DEPLOYER_RUNTIME_CODE,
    ERC6551_REGISTRY_ADDRESS,
    ERC6551_REGISTRY_SALT,
    ERC6551_REGISTRY_INIT_CODE
} from "../../src/erc6551/ERC6551RegistryDeployment.sol";

/// @dev A plain mintable ERC-20 for tests.
contract MockERC20 is ERC20 {
    constructor() ERC20("Mock", "MCK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Non-standard selector to test unchargeable calls on budgeted tokens.
    function transferAndCall(address to, uint256 amount, bytes calldata) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }
}

/// @dev Registry + EntryPoint + NFT + implementation + one account held by `owner`.
abstract contract AccountFixture is Test {
    IERC6551Registry internal registry;
    EntryPoint internal entryPoint;
    AgentNFT internal nft;
    AgentAccount internal implementation;
    AgentAccount internal account;
    MockERC20 internal token;

    uint256 internal ownerPk = 0xA11CE;
    address internal owner;
    uint256 internal keyPk = 0x5E55;
    address internal key;
    uint256 internal tokenId;

    address internal recipient = makeAddr("recipient");
    address internal spender = makeAddr("spender");
    address internal buyer = makeAddr("buyer");

    uint128 internal constant TOKEN_BUDGET = 1_000e18;
    uint128 internal constant NATIVE_BUDGET = 1 ether;
    uint32 internal constant PERIOD = 1 days;
    uint32 internal constant MAX_CALLS = 10;
    uint128 internal constant GAS_ALLOWANCE = 0.5 ether;
    uint64 internal constant MAX_FEE_PER_GAS = 100 gwei;
    uint8 internal constant RULE_COUNTERPARTY = 1;
    uint8 internal constant RULE_SESSION_KEY = 2;
    uint8 internal constant RULE_ACCOUNT = 3;

    function setUp() public virtual {
        vm.warp(1_750_000_000);
        owner = vm.addr(ownerPk);
        key = vm.addr(keyPk);
        registry = deployRegistry();
        entryPoint = new EntryPoint();
        implementation = new AgentAccount(IEntryPoint(address(entryPoint)));
        nft = new AgentNFT(address(this), address(implementation), bytes32(0));
        token = new MockERC20();
        tokenId = nft.mint(owner);
        account = AgentAccount(
            payable(registry.createAccount(address(implementation), bytes32(0), block.chainid, address(nft), tokenId))
        );
        token.mint(address(account), 1_000_000e18);
        token.mint(recipient, 1); // non-zero balance: steady-state transfers
        vm.deal(address(account), 100 ether);
    }

    /// @dev Deploys the canonical registry through Nick's Factory, as on a real chain.
    function deployRegistry() internal returns (IERC6551Registry) {
        if (ERC6551_REGISTRY_ADDRESS.code.length == 0) {
            vm.etch(DETERMINISTIC_DEPLOYER, DETERMINISTIC_DEPLOYER_RUNTIME_CODE);
            (bool ok, bytes memory ret) =
                DETERMINISTIC_DEPLOYER.call(abi.encodePacked(ERC6551_REGISTRY_SALT, ERC6551_REGISTRY_INIT_CODE));
            require(ok && address(bytes20(ret)) == ERC6551_REGISTRY_ADDRESS, "registry deployment");
        }
        return IERC6551Registry(ERC6551_REGISTRY_ADDRESS);
    }

    function newAccount(address holder) internal returns (AgentAccount acc, uint256 id) {
        id = nft.mint(holder);
        acc = AgentAccount(
            payable(registry.createAccount(address(implementation), bytes32(0), block.chainid, address(nft), id))
        );
    }

    // ------------------------------------------------------------ policies

    function emptyPolicy() internal view returns (IAgentAccount.SessionPolicy memory p) {
        p.validAfter = uint48(block.timestamp);
        p.validUntil = uint48(block.timestamp + 30 days);
        p.period = PERIOD;
        p.maxCallsPerPeriod = MAX_CALLS;
        p.nativeBudgetPerPeriod = NATIVE_BUDGET;
        p.gasAllowance = GAS_ALLOWANCE;
        p.maxFeePerGas = MAX_FEE_PER_GAS;
    }

    /// @dev token.transfer/approve/transferFrom, native to recipient; budgets; recipient and spender.
    function defaultPolicy() internal view returns (IAgentAccount.SessionPolicy memory p) {
        p = emptyPolicy();
        p.calls = new IAgentAccount.CallPermission[](4);
        p.calls[0] = IAgentAccount.CallPermission(address(token), ERC20.transfer.selector);
        p.calls[1] = IAgentAccount.CallPermission(address(token), ERC20.approve.selector);
        p.calls[2] = IAgentAccount.CallPermission(address(token), ERC20.transferFrom.selector);
        p.calls[3] = IAgentAccount.CallPermission(recipient, bytes4(0));
        p.tokenBudgets = new IAgentAccount.TokenBudget[](1);
        p.tokenBudgets[0] = IAgentAccount.TokenBudget(address(token), TOKEN_BUDGET);
        p.counterparties = new address[](2);
        p.counterparties[0] = recipient;
        p.counterparties[1] = spender;
    }

    function grant(address sessionKey, IAgentAccount.SessionPolicy memory p) internal {
        vm.prank(owner);
        account.grantSession(sessionKey, p);
    }

    function grantDefault() internal {
        grant(key, defaultPolicy());
    }

    function sellNft() internal {
        vm.prank(owner);
        nft.transferFrom(owner, buyer, tokenId);
    }

    function transferCall(address to, uint256 amount) internal pure returns (bytes memory) {
        return abi.encodeCall(ERC20.transfer, (to, amount));
    }

    /// @dev Session key `key` runs `token.transfer(to, amount)` through `execute`.
    function keyTransfer(address to, uint256 amount) internal returns (bytes memory) {
        vm.prank(key);
        return account.execute(address(token), 0, transferCall(to, amount), 0);
    }

    // ------------------------------------------------------------- userOps

    /// @dev The nonce lane of session key `k`.
    function laneOf(address k) internal view returns (uint192) {
        return account.sessionNonceKey(k);
    }

    /// @dev A user operation of `key` running `innerCall`, in its current nonce lane.
    function userOpFor(bytes memory innerCall) internal view returns (PackedUserOperation memory op) {
        return userOpFor(innerCall, key);
    }

    function userOpFor(bytes memory innerCall, address signerKey) internal view returns (PackedUserOperation memory op) {
        op.sender = address(account);
        op.nonce = entryPoint.getNonce(address(account), laneOf(signerKey));
        op.callData = abi.encodePacked(IAccountExecute.executeUserOp.selector, innerCall);
        op.accountGasLimits = bytes32((uint256(200_000) << 128) | uint256(300_000));
        op.preVerificationGas = 50_000;
        op.gasFees = bytes32((uint256(1 gwei) << 128) | uint256(2 gwei));
    }

    function signUserOp(PackedUserOperation memory op, uint256 pk) internal view returns (bytes32 hash) {
        hash = entryPoint.getUserOpHash(op);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, MessageHashUtils.toEthSignedMessageHash(hash));
        op.signature = abi.encodePacked(vm.addr(pk), r, s, v);
    }

    function executeCall(address to, uint256 value, bytes memory data) internal pure returns (bytes memory) {
        return abi.encodeWithSignature("execute(address,uint256,bytes,uint8)", to, value, data, uint8(0));
    }

    function batchCall(Operation[] memory ops) internal pure returns (bytes memory) {
        return abi.encodeWithSignature("executeBatch((address,uint256,bytes,uint8)[])", ops);
    }

    function handle(PackedUserOperation memory op) internal {
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        entryPoint.handleOps(ops, payable(makeAddr("beneficiary")));
    }
}
