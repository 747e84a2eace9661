// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {EntryPoint} from "@account-abstraction/contracts/core/EntryPoint.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";

import {AgentNFT} from "../../src/AgentNFT.sol";
import {AgentAccount} from "../../src/account/AgentAccount.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";
import {IERC6551Registry} from "../../src/erc6551/IERC6551Registry.sol";
import {USDx} from "../../src/assets/USDx.sol";
import {SUSDx} from "../../src/assets/SUSDx.sol";
import {YieldVault} from "../../src/YieldVault.sol";
import {Charter} from "../../src/governance/Charter.sol";
import {AgentGovernor} from "../../src/governance/AgentGovernor.sol";
import {SessionGuardian} from "../../src/governance/SessionGuardian.sol";
import {
    DETERMINISTIC_DEPLOYER,
    DETERMINISTIC_DEPLOYER_RUNTIME_CODE,
    ERC6551_REGISTRY_ADDRESS,
    ERC6551_REGISTRY_SALT,
    ERC6551_REGISTRY_INIT_CODE
} from "../../src/erc6551/ERC6551RegistryDeployment.sol";

/// @dev A self-owned agent as the devnet bootstrap wires it: the timelock holds the NFT, the
/// governor is its only proposer and canceller, executors are open, no EOA keeps a role; the
/// guardian is the revoke-only `SessionGuardian`; the vault's principal votes.
abstract contract GovernanceFixture is Test {
    uint48 internal constant VOTING_DELAY = 1 hours;
    uint32 internal constant VOTING_PERIOD = 3 days;
    uint256 internal constant THRESHOLD = 1e6; // 1 USDx of principal
    uint256 internal constant QUORUM_PERCENT = 10;
    uint48 internal constant LATE_EXTENSION = 1 days;
    uint256 internal constant TIMELOCK_DELAY = 1 days;

    address internal deployer = makeAddr("deployer");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal mallory = makeAddr("mallory");
    address internal keeper = makeAddr("keeper");
    address internal sessionKey = makeAddr("sessionKey");
    address internal provider = makeAddr("provider");

    IERC6551Registry internal registry;
    AgentNFT internal nft;
    AgentAccount internal account;
    USDx internal usdx;
    SUSDx internal susdx;
    YieldVault internal vault;
    TimelockController internal timelock;
    Charter internal charter;
    AgentGovernor internal governor;
    SessionGuardian internal guardian;
    address internal market = makeAddr("market");

    function setUp() public virtual {
        vm.warp(1_750_000_000);
        vm.startPrank(deployer);
        registry = _deployRegistry();
        EntryPoint entryPoint = new EntryPoint();
        AgentAccount implementation = new AgentAccount(IEntryPoint(address(entryPoint)));
        nft = new AgentNFT(deployer, address(implementation), bytes32(0));
        address agent = registry.account(address(implementation), bytes32(0), block.chainid, address(nft), 1);
        usdx = new USDx(deployer);
        susdx = new SUSDx(IERC20(address(usdx)), 1_000, deployer);
        usdx.setMinter(address(susdx), true);
        vault = new YieldVault(IERC20(address(usdx)), IERC4626(address(susdx)), agent, 0);

        address[] memory none = new address[](0);
        address[] memory openExecutor = new address[](1);
        timelock = new TimelockController(0, none, openExecutor, deployer);
        charter = new Charter(address(timelock), "Be useful to the community.", _limits(30 days));
        governor = new AgentGovernor(
            IVotes(address(vault)),
            timelock,
            charter,
            agent,
            AgentGovernor.Settings(VOTING_DELAY, VOTING_PERIOD, THRESHOLD, QUORUM_PERCENT, LATE_EXTENSION)
        );
        guardian = new SessionGuardian(IAgentAccount(agent), keeper);

        // Bootstrap: mint to the timelock, then the deployer (temporary proposer) schedules and
        // runs, at delay 0, the guardian, the first session and the real delay; then leaves.
        nft.mint(address(timelock));
        account = AgentAccount(
            payable(registry.createAccount(address(implementation), bytes32(0), block.chainid, address(nft), 1))
        );
        timelock.grantRole(timelock.PROPOSER_ROLE(), deployer);
        address[] memory targets = new address[](3);
        uint256[] memory values = new uint256[](3);
        bytes[] memory calls = new bytes[](3);
        targets[0] = agent;
        calls[0] = abi.encodeCall(IAgentAccount.setGuardian, (address(guardian)));
        targets[1] = agent;
        calls[1] = abi.encodeCall(IAgentAccount.grantSession, (sessionKey, _policy(30 days, market)));
        targets[2] = address(timelock);
        calls[2] = abi.encodeCall(TimelockController.updateDelay, (TIMELOCK_DELAY));
        timelock.scheduleBatch(targets, values, calls, bytes32(0), bytes32(0), 0);
        timelock.executeBatch(targets, values, calls, bytes32(0), bytes32(0));
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        timelock.revokeRole(timelock.PROPOSER_ROLE(), deployer);
        timelock.revokeRole(timelock.CANCELLER_ROLE(), deployer);
        nft.transferOwnership(address(timelock));
        usdx.transferOwnership(address(timelock));
        susdx.transferOwnership(address(timelock));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), deployer);
        vm.stopPrank();

        _stake(alice, 600e6);
        _stake(bob, 300e6);
        _stake(carol, 100e6);
        vm.warp(block.timestamp + 1);
    }

    // ---------------------------------------------------------------- helpers

    function _deployRegistry() internal returns (IERC6551Registry) {
        if (ERC6551_REGISTRY_ADDRESS.code.length == 0) {
            vm.etch(DETERMINISTIC_DEPLOYER, DETERMINISTIC_DEPLOYER_RUNTIME_CODE);
            (bool ok, bytes memory ret) =
                DETERMINISTIC_DEPLOYER.call(abi.encodePacked(ERC6551_REGISTRY_SALT, ERC6551_REGISTRY_INIT_CODE));
            require(ok && address(bytes20(ret)) == ERC6551_REGISTRY_ADDRESS, "registry deployment");
        }
        return IERC6551Registry(ERC6551_REGISTRY_ADDRESS);
    }

    function _limits(uint32 maxSessionDuration) internal view returns (Charter.Limits memory l) {
        l.trustedProviders = new address[](1);
        l.trustedProviders[0] = provider;
        l.perCallCap = 1e6;
        l.dailyCap = 10e6;
        l.runwayTargetHours = 24;
        l.proposalsPerPeriod = 2;
        l.proposalPeriod = 7 days;
        l.maxSessionDuration = maxSessionDuration;
        l.maxSessionCallsPerPeriod = 100;
        l.maxSessionNativePerPeriod = 0;
        l.maxSessionTokenPerPeriod = 50e6;
        l.maxSessionGasAllowance = 1 ether;
        l.maxSessionFeePerGas = 100 gwei;
        l.sessionTargets = new address[](3);
        l.sessionTargets[0] = market;
        l.sessionTargets[1] = address(usdx);
        l.sessionTargets[2] = address(vault);
    }

    /// @dev A session that may call `target` (any selector 0x12345678) and spend 10 USDx a day.
    function _policy(uint48 duration, address target) internal view returns (IAgentAccount.SessionPolicy memory p) {
        p.validAfter = uint48(block.timestamp);
        p.validUntil = uint48(block.timestamp + duration);
        p.period = 1 days;
        p.maxCallsPerPeriod = 50;
        p.calls = new IAgentAccount.CallPermission[](1);
        p.calls[0] = IAgentAccount.CallPermission(target, bytes4(0x12345678));
        p.tokenBudgets = new IAgentAccount.TokenBudget[](1);
        p.tokenBudgets[0] = IAgentAccount.TokenBudget(address(usdx), 10e6);
    }

    function _stake(address who, uint256 amount) internal {
        usdx.faucet(who, amount);
        vm.startPrank(who);
        usdx.approve(address(vault), type(uint256).max);
        vault.stake(amount);
        vm.stopPrank();
    }

    function _one(address target, bytes memory data)
        internal
        pure
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calls)
    {
        targets = new address[](1);
        values = new uint256[](1);
        calls = new bytes[](1);
        targets[0] = target;
        calls[0] = data;
    }

    function _charterUpdate(string memory text, Charter.Limits memory l) internal pure returns (bytes memory) {
        return abi.encodeCall(Charter.update, (text, l));
    }

    function _propose(address who, address target, bytes memory data, string memory description)
        internal
        returns (uint256 id)
    {
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(target, data);
        vm.prank(who);
        id = governor.propose(t, v, c, description);
    }

    function _queue(address target, bytes memory data, string memory description) internal {
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(target, data);
        governor.queue(t, v, c, keccak256(bytes(description)));
    }

    function _execute(address target, bytes memory data, string memory description) internal {
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(target, data);
        governor.execute(t, v, c, keccak256(bytes(description)));
    }

    function _vote(address who, uint256 id, uint8 support) internal {
        vm.prank(who);
        governor.castVote(id, support);
    }

    function _toActive(uint256 id) internal {
        vm.warp(governor.proposalSnapshot(id) + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Active));
    }

    function _toEnd(uint256 id) internal {
        vm.warp(governor.proposalDeadline(id) + 1);
    }
}
