// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAgentAccount} from "../interfaces/IAgentAccount.sol";

/// @title Charter
/// @notice The agent's constitution and the limits its daemon enforces in code, versioned and written
/// only by the community's timelock. The constitution text lives in the `CharterUpdated` event;
/// storage keeps its hash per version and the current limits.
/// @dev `checkSessionGrant` is the charter's rule on sessions: the governor refuses, at proposal
/// and again at execution, any `grantSession` whose policy leaves the charter's bounds.
contract Charter {
    // ---------------------------------------------------------------- errors

    /// @notice Only the timelock writes the charter.
    error Charter_NotWriter(address caller);
    /// @notice The writer is the zero address.
    error Charter_ZeroWriter();
    /// @notice A limit is out of range (`field` names it).
    error Charter_InvalidLimits(string field);
    /// @notice The call is not a `grantSession` call.
    error Charter_NotASessionGrant(bytes4 selector);
    /// @notice The session would last until `validUntil`, past `maxUntil`.
    error Charter_SessionTooLong(uint48 validUntil, uint256 maxUntil);
    /// @notice The session's call cap per period exceeds the charter's.
    error Charter_SessionCallsTooMany(uint32 maxCallsPerPeriod, uint32 allowed);
    /// @notice The session's native budget per period exceeds the charter's.
    error Charter_SessionNativeBudgetTooHigh(uint128 nativeBudgetPerPeriod, uint128 allowed);
    /// @notice A token budget of the session exceeds the charter's.
    error Charter_SessionTokenBudgetTooHigh(address token, uint128 amountPerPeriod, uint128 allowed);
    /// @notice A granted session's ERC-4337 gas allowance or fee cap is above the charter's.
    error Charter_SessionGasTooHigh(uint128 gasAllowance, uint64 maxFeePerGas, uint128 allowedAllowance, uint64 allowedFee);
    /// @notice The session may call `target`, which the charter does not allow.
    error Charter_SessionTargetForbidden(address target, bytes4 selector);

    // ---------------------------------------------------------------- events

    /// @notice Version `version` of the charter took effect.
    /// @param version The new version (1 for the first).
    /// @param constitutionHash keccak256 of `constitution`.
    /// @param constitution The constitution's text.
    /// @param limits The limits of this version.
    event CharterUpdated(uint64 indexed version, bytes32 indexed constitutionHash, string constitution, Limits limits);

    // ---------------------------------------------------------------- storage

    /// @notice What the agent may do, enforced by its daemon (payments, proposals) and by the
    /// governor (sessions).
    struct Limits {
        address[] trustedProviders; // providers the agent may pay (empty: any registered provider)
        uint256 perCallCap; // payment-token units one inference call may cost at most
        uint256 dailyCap; // payment-token units the agent may spend per day
        uint32 runwayTargetHours; // hours of compute the treasury keeps funded
        uint32 proposalsPerPeriod; // proposals the agent may file per `proposalPeriod`
        uint32 proposalPeriod; // seconds (> 0)
        uint32 maxSessionDuration; // seconds a granted session may run from its grant
        uint32 maxSessionCallsPerPeriod;
        uint128 maxSessionNativePerPeriod;
        uint128 maxSessionTokenPerPeriod; // per token budget
        uint128 maxSessionGasAllowance; // wei of user-operation prefund a grant may allow (gas is value)
        uint64 maxSessionFeePerGas; // wei; the highest maxFeePerGas cap a grant may set
        address[] sessionTargets; // contracts a session may call (besides its own key, for gas top-ups)
    }

    address private immutable _writer;
    uint64 private _version;
    Limits private _limits;
    mapping(uint64 version => bytes32) private _constitutionHashes;

    // ---------------------------------------------------------------- constructor

    /// @param writer_ The only address that may update the charter (the timelock).
    /// @param constitution The first constitution (version 1).
    /// @param limits_ The first limits.
    constructor(address writer_, string memory constitution, Limits memory limits_) {
        if (writer_ == address(0)) revert Charter_ZeroWriter();
        _writer = writer_;
        _update(constitution, limits_);
    }

    // ---------------------------------------------------------------- external

    /// @notice Replaces the constitution and limits with a new version; the timelock only.
    /// @param constitution The new constitution text.
    /// @param limits_ The new limits.
    /// @return The new version.
    function update(string calldata constitution, Limits calldata limits_) external returns (uint64) {
        if (msg.sender != _writer) revert Charter_NotWriter(msg.sender);
        return _update(constitution, limits_);
    }

    /// @notice The only writer (the timelock).
    /// @return The writer.
    function writer() external view returns (address) {
        return _writer;
    }

    /// @notice The current version.
    /// @return The version (1 after deployment).
    function version() external view returns (uint64) {
        return _version;
    }

    /// @notice The constitution hash of the current version.
    /// @return keccak256 of the current constitution text.
    function constitutionHash() external view returns (bytes32) {
        return _constitutionHashes[_version];
    }

    /// @notice The constitution hash of `version_`.
    /// @param version_ A version (0 if it does not exist).
    /// @return keccak256 of that version's constitution text.
    function constitutionHashAt(uint64 version_) external view returns (bytes32) {
        return _constitutionHashes[version_];
    }

    /// @notice The current limits.
    /// @return The limits.
    function limits() external view returns (Limits memory) {
        return _limits;
    }

    /// @notice The agent's proposal budget: how many per how many seconds.
    /// @return proposalsPerPeriod Proposals per period.
    /// @return proposalPeriod The period in seconds.
    function proposalRate() external view returns (uint32 proposalsPerPeriod, uint32 proposalPeriod) {
        return (_limits.proposalsPerPeriod, _limits.proposalPeriod);
    }

    /// @notice Reverts unless `call`, a `grantSession(key, policy)` calldata, stays within the charter's
    /// session bounds: validity ends within `maxSessionDuration` from now, caps, budgets, gas allowance
    /// and fee cap at most
    /// the charter's, every allowed call's target among `sessionTargets`, the key itself (native
    /// top-ups of its own gas, bounded by the native budget) or `governor`.
    /// @param call The calldata (selector included).
    /// @param governor The governor, which a session may always call: the agent may always ask its
    /// community (proposing needs no permission beyond the proposal's own vote).
    function checkSessionGrant(bytes calldata call, address governor) external view {
        bytes4 selector = bytes4(call[:4]);
        if (selector != IAgentAccount.grantSession.selector) revert Charter_NotASessionGrant(selector);
        (address key, IAgentAccount.SessionPolicy memory policy) =
            abi.decode(call[4:], (address, IAgentAccount.SessionPolicy));
        Limits storage l = _limits;
        uint256 maxUntil = block.timestamp + l.maxSessionDuration;
        if (policy.validUntil > maxUntil) revert Charter_SessionTooLong(policy.validUntil, maxUntil);
        if (policy.maxCallsPerPeriod > l.maxSessionCallsPerPeriod) {
            revert Charter_SessionCallsTooMany(policy.maxCallsPerPeriod, l.maxSessionCallsPerPeriod);
        }
        if (policy.nativeBudgetPerPeriod > l.maxSessionNativePerPeriod) {
            revert Charter_SessionNativeBudgetTooHigh(policy.nativeBudgetPerPeriod, l.maxSessionNativePerPeriod);
        }
        if (policy.gasAllowance > l.maxSessionGasAllowance || policy.maxFeePerGas > l.maxSessionFeePerGas) {
            revert Charter_SessionGasTooHigh(
                policy.gasAllowance, policy.maxFeePerGas, l.maxSessionGasAllowance, l.maxSessionFeePerGas
            );
        }
        for (uint256 i; i < policy.tokenBudgets.length; ++i) {
            IAgentAccount.TokenBudget memory budget = policy.tokenBudgets[i];
            if (budget.amountPerPeriod > l.maxSessionTokenPerPeriod) {
                revert Charter_SessionTokenBudgetTooHigh(budget.token, budget.amountPerPeriod, l.maxSessionTokenPerPeriod);
            }
        }
        address[] storage targets = l.sessionTargets;
        for (uint256 i; i < policy.calls.length; ++i) {
            address target = policy.calls[i].target;
            bool found = target == key || target == governor;
            for (uint256 j; j < targets.length && !found; ++j) {
                found = targets[j] == target;
            }
            if (!found) revert Charter_SessionTargetForbidden(target, policy.calls[i].selector);
        }
    }

    // ---------------------------------------------------------------- internal

    function _update(string memory constitution, Limits memory limits_) internal returns (uint64 version_) {
        if (limits_.proposalPeriod == 0) revert Charter_InvalidLimits("proposalPeriod");
        if (limits_.perCallCap > limits_.dailyCap) revert Charter_InvalidLimits("perCallCap");
        version_ = _version + 1;
        _version = version_;
        bytes32 hash = keccak256(bytes(constitution));
        _constitutionHashes[version_] = hash;
        _limits = limits_;
        emit CharterUpdated(version_, hash, constitution, limits_);
    }
}
