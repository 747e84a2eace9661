// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAgentAccount} from "../interfaces/IAgentAccount.sol";
import {ExecutionLib, Operation} from "./ExecutionLib.sol";

/// @title SessionKeys
/// @notice Scoped, budgeted session keys for the agent account, granted by the owner or by a guardian
/// the owner set.
/// @dev Rules a session key can never break:
/// - only CALL, never to the account itself, only to allowed (target, selector) pairs (selector
///   0x00000000 = empty calldata, a plain native transfer; calldata of 1 to 3 bytes is refused);
/// - native value and, per token, ERC-20 amounts stay within a budget per period; periods are fixed
///   windows of `period` seconds starting at `validAfter`;
/// - at most `maxCallsPerPeriod` operations per period (0 means none);
/// - `transfer`, `approve`, `increaseAllowance` and `transferFrom` calls are ALWAYS charged against
///   the target's token budget (zero when the token has none: fail closed) and their recipient or
///   spender must be a counterparty;
/// - a token with a budget can only be given pairs with those four selectors: any other selector
///   (`transferAndCall`, `send`, `permit`, `withdraw`...) could move value uncharged, so granting it
///   reverts;
/// - a session is bound to the owner who granted it (also when a guardian granted it): once the
///   token changes hands, its calls revert; and if the token contract reports transfers (AgentNFT
///   does, see `onTokenTransfer`), its user operations fail validation too;
/// - gas is value: each user operation charges its whole required prefund (the sum of its gas limits,
///   paymaster ones included, times its `maxFeePerGas`, as EntryPoint v0.7 computes it) to the
///   session's gas allowance, in validation, whether or not it then executes; its `maxFeePerGas` is
///   capped by the policy. The allowance is per grant, not per period: validation may not read the
///   clock (ERC-7562), and a per-period window in the validation data would start in the future for
///   a bundler whose wall clock lags the chain (alto refuses such operations), so only a charge that
///   needs no clock is sound. Re-granting refills it. Each key has its own nonce lane
///   (`nonce >> 64 == uint160(key)`), so no key can consume another key's operations;
/// - argument rules: on any granted (target, selector) pair other than the four charged selectors, the
///   owner can require address arguments to be an allowed counterparty, the key itself or the account
///   (e.g. `open(provider, signer, amount)`: provider a counterparty, signer the key), checked in
///   validation and execution alike, so calls whose arguments decide who gets paid cannot pay the
///   key's holder;
/// - an empty batch is refused.
/// Policies live in a per-grant generation of mappings, so checks are O(1) and a new grant starts
/// from a clean slate without loops over old data. Storage is packed for the hot path: an ERC-20
/// transfer by a session key reads five slots (session identity and window, session usage, session
/// configuration, the token's budget, spend and allowed selectors, the counterparty) and writes two
/// (the usage slot, written once per operation: in a user operation validation charges the gas to it
/// and execution counts the call in the same, already written slot; and the token's spend). No event
/// is emitted per operation: the key, target, selector and value are in the transaction (and, for a
/// user operation, in the EntryPoint's `UserOperationEvent`, whose nonce lane is the key).
/// Owner binding without `ownerOf`: when the bound token contract promised at grant time to report
/// every transfer to this account (`ITokenTransferReporter`), an unchanged owner epoch proves the
/// grantor still holds the token, so execution does not call the token contract.
/// Amount caps: a token budget above 2^104 - 1 and a native budget above 2^96 - 1 are enforced as
/// those values (about 2e31 token units and 7.9e10 ether: effectively unlimited); `getSession`
/// returns the values as granted. Periods are tracked by their index, truncated to 32 bits: it could
/// only wrap after 2^32 periods, and then counts from the past would apply (stricter, never looser).
abstract contract SessionKeys is IAgentAccount {
    // ----------------------------------------------------------------- errors

    /// @notice The caller is neither the owner nor its guardian.
    error SessionKeys_NotOwnerOrGuardian(address caller);
    /// @notice The caller is not the owner.
    error SessionKeys_NotOwner(address caller);
    /// @notice The key cannot be a session key (zero or the account itself).
    error SessionKeys_InvalidKey(address key);
    /// @notice The validity window is empty or already over.
    error SessionKeys_InvalidValidity(uint48 validAfter, uint48 validUntil);
    /// @notice The period is zero.
    error SessionKeys_InvalidPeriod(uint32 period);
    /// @notice The permission can never be granted (the account itself, or an unchargeable selector on
    /// a budgeted token).
    error SessionKeys_InvalidPermission(address target, bytes4 selector);
    /// @notice The token budget cannot be granted (zero address or the account itself).
    error SessionKeys_InvalidTokenBudget(address token);
    /// @notice `key` has no session (never granted, or revoked).
    error SessionKeys_NoSession(address key);
    /// @notice The token changed hands since the session was granted.
    error SessionKeys_OwnerChanged(address key, address grantedBy, address owner);
    /// @notice The session has not started yet.
    error SessionKeys_NotYetValid(address key, uint48 validAfter);
    /// @notice The session is over.
    error SessionKeys_Expired(address key, uint48 validUntil);
    /// @notice Session keys may only CALL.
    error SessionKeys_OperationNotAllowed(address key, uint8 operation);
    /// @notice Session keys may never call the account itself.
    error SessionKeys_SelfCall(address key, bytes4 selector);
    /// @notice The (target, selector) pair is not allowed.
    error SessionKeys_CallNotAllowed(address key, address target, bytes4 selector);
    /// @notice The calldata is too short or malformed for its selector.
    error SessionKeys_MalformedCall(address key, address target, bytes4 selector);
    /// @notice The recipient or spender is not an allowed counterparty.
    error SessionKeys_CounterpartyNotAllowed(address key, address token, address counterparty);
    /// @notice The call exceeds a budget (`asset` 0 = native).
    error SessionKeys_BudgetExceeded(address key, address asset, uint256 amount, uint256 remaining);
    /// @notice The call count of the period is used up.
    error SessionKeys_CallLimitReached(address key, uint32 maxCallsPerPeriod);
    /// @notice The argument rule cannot be granted (unknown kind, no such granted non-charged pair, or
    /// more than `_MAX_RULES` rules on one pair).
    error SessionKeys_InvalidArgumentRule(address target, bytes4 selector, uint8 argument, uint8 kind);
    /// @notice An argument breaks its rule (not a counterparty, not the key, not the account).
    error SessionKeys_ArgumentNotAllowed(address key, address target, bytes4 selector, uint8 argument, address value);
    /// @notice A batch without operations (it would validate and pay gas for nothing).
    error SessionKeys_EmptyBatch(address key);

    // ---------------------------------------------------------------- storage

    /// @dev `transfer(address,uint256)`.
    bytes4 private constant _TRANSFER = 0xa9059cbb;
    /// @dev `approve(address,uint256)`.
    bytes4 private constant _APPROVE = 0x095ea7b3;
    /// @dev `increaseAllowance(address,uint256)`: charged like approve.
    bytes4 private constant _INCREASE_ALLOWANCE = 0x39509351;
    /// @dev `transferFrom(address,address,uint256)`.
    bytes4 private constant _TRANSFER_FROM = 0x23b872dd;

    /// @dev Largest enforceable token budget (fits `TokenState.budget`).
    uint256 private constant _MAX_TOKEN_BUDGET = type(uint104).max;
    /// @dev Largest enforceable native budget (fits `Session.nativeSpent`).
    uint256 private constant _MAX_NATIVE_BUDGET = type(uint96).max;
    /// @dev Argument rule kinds (`ArgumentRule.kind`).
    uint8 private constant _RULE_COUNTERPARTY = 1;
    uint8 private constant _RULE_SESSION_KEY = 2;
    uint8 private constant _RULE_ACCOUNT = 3;
    /// @dev Rules per (target, selector): they pack in one slot with the allowed flag and their count.
    uint256 private constant _MAX_RULES = 15;
    /// @dev Largest enforceable gas allowance (fits `Session.gasRemaining`).
    uint256 private constant _MAX_GAS_ALLOWANCE = type(uint96).max;

    /// @dev A session in four slots: identity and window (written at grant and revoke); usage (written
    /// once per operation: the gas charge in validation, the call count and native spend in execution);
    /// configuration (read by every operation); the native budget and gas allowance as granted.
    struct Session {
        // slot 0
        address grantedBy; // owner at grant time; 0 = no session
        uint48 validAfter;
        uint48 validUntil;
        // slot 1
        uint96 gasRemaining; // what is left of the gas allowance (capped at _MAX_GAS_ALLOWANCE)
        uint32 periodIndex; // period of `calls` and `nativeSpent`
        uint32 calls;
        uint96 nativeSpent;
        // slot 2
        uint32 generation; // selects the Scope of the current grant
        uint64 ownerEpoch; // the account's owner epoch at grant time
        uint64 maxFeePerGas;
        uint32 period;
        uint32 maxCallsPerPeriod;
        bool ownerReported; // the token contract reports every transfer to this account (at grant time)
        // slot 3
        uint128 nativeBudgetPerPeriod; // as granted
        uint128 gasAllowance; // as granted
    }

    /// @dev One token in one grant: its budget, its spend in period `periodIndex`, and which of the
    /// four charged selectors are allowed on it (bit i = `_chargedBit` i).
    struct TokenState {
        uint104 budget;
        uint104 spent;
        uint32 periodIndex;
        uint8 selectors;
    }

    /// @dev The scope of one grant: O(1) lookups for execution, arrays for `getSession`. A non-charged
    /// pair's permission word: bit 0 = allowed, bits 8-15 = rule count, then 16 bits per rule
    /// (argument << 8 | kind) from bit 16.
    struct Scope {
        mapping(address target => mapping(bytes4 selector => uint256)) permissions; // non-charged selectors
        mapping(address token => TokenState) tokens; // charged selectors
        mapping(address counterparty => bool) isCounterparty;
        CallPermission[] calls;
        TokenBudget[] tokenBudgets;
        address[] counterparties;
        ArgumentRule[] argumentRules;
    }

    /// @dev The guardian and the owner that set it.
    struct Guardian {
        address guardian;
        address setBy;
    }

    mapping(address key => Session) private _sessions;
    mapping(address key => mapping(uint32 generation => Scope)) private _scopes;
    Guardian private _guardian;

    // --------------------------------------------------------------- external

    /// @notice Grants (or replaces) the policy of `key`; owner or guardian only. The session is bound to
    /// the current owner (also when the guardian grants it). Replacing a policy resets its usage.
    /// @param key The session key.
    /// @param policy What the key may do.
    function grantSession(address key, SessionPolicy calldata policy) external {
        address owner_ = _authorizeSessionAdmin();
        if (key == address(0) || key == address(this)) revert SessionKeys_InvalidKey(key);
        if (policy.validUntil <= policy.validAfter || policy.validUntil < block.timestamp) {
            revert SessionKeys_InvalidValidity(policy.validAfter, policy.validUntil);
        }
        if (policy.period == 0) revert SessionKeys_InvalidPeriod(policy.period);

        Session storage session = _sessions[key];
        uint32 generation = session.generation + 1; // checked: reverts rather than reuse a scope
        session.grantedBy = owner_;
        session.validAfter = policy.validAfter;
        session.validUntil = policy.validUntil;
        session.period = policy.period;
        session.maxCallsPerPeriod = policy.maxCallsPerPeriod;
        session.generation = generation;
        session.periodIndex = 0;
        session.calls = 0;
        session.nativeSpent = 0;
        session.nativeBudgetPerPeriod = policy.nativeBudgetPerPeriod;
        session.gasAllowance = policy.gasAllowance;
        session.maxFeePerGas = policy.maxFeePerGas;
        // At most _MAX_GAS_ALLOWANCE (fits uint96 by construction).
        // forge-lint: disable-next-line(unsafe-typecast)
        session.gasRemaining = uint96(policy.gasAllowance > _MAX_GAS_ALLOWANCE ? _MAX_GAS_ALLOWANCE : policy.gasAllowance);
        session.ownerEpoch = _sessionOwnerEpoch();
        session.ownerReported = _sessionOwnerReported();

        Scope storage scope = _scopes[key][generation];
        for (uint256 i; i < policy.tokenBudgets.length; ++i) {
            TokenBudget calldata budget = policy.tokenBudgets[i];
            if (budget.token == address(0) || budget.token == address(this)) {
                revert SessionKeys_InvalidTokenBudget(budget.token);
            }
            uint256 amount = budget.amountPerPeriod;
            // At most _MAX_TOKEN_BUDGET (fits uint104 by construction).
            scope.tokens[budget.token].budget = uint104(amount > _MAX_TOKEN_BUDGET ? _MAX_TOKEN_BUDGET : amount);
            scope.tokenBudgets.push(budget);
        }
        for (uint256 i; i < policy.calls.length; ++i) {
            CallPermission calldata permission = policy.calls[i];
            uint8 bit = _chargedBit(permission.selector);
            if (permission.target == address(this)) {
                revert SessionKeys_InvalidPermission(permission.target, permission.selector);
            }
            if (bit != 0) {
                scope.tokens[permission.target].selectors |= bit;
            } else {
                if (scope.tokens[permission.target].budget != 0) {
                    revert SessionKeys_InvalidPermission(permission.target, permission.selector);
                }
                scope.permissions[permission.target][permission.selector] |= 1;
            }
            scope.calls.push(permission);
        }
        for (uint256 i; i < policy.counterparties.length; ++i) {
            scope.isCounterparty[policy.counterparties[i]] = true;
            scope.counterparties.push(policy.counterparties[i]);
        }
        for (uint256 i; i < policy.argumentRules.length; ++i) {
            ArgumentRule calldata rule = policy.argumentRules[i];
            uint256 word = scope.permissions[rule.target][rule.selector];
            uint256 count = (word >> 8) & 0xff;
            if (word == 0 || rule.kind == 0 || rule.kind > _RULE_ACCOUNT || count == _MAX_RULES) {
                revert SessionKeys_InvalidArgumentRule(rule.target, rule.selector, rule.argument, rule.kind);
            }
            word |= ((uint256(rule.argument) << 8) | rule.kind) << (16 + 16 * count);
            scope.permissions[rule.target][rule.selector] = word + (1 << 8);
            scope.argumentRules.push(rule);
        }
        _onSessionsChanged();
        emit SessionGranted(key, owner_, policy.validAfter, policy.validUntil);
    }

    /// @notice Revokes `key`; owner or guardian only.
    /// @param key The session key.
    function revokeSession(address key) external {
        _authorizeSessionAdmin();
        Session storage session = _sessions[key];
        if (session.grantedBy == address(0)) revert SessionKeys_NoSession(key);
        session.grantedBy = address(0);
        session.validAfter = 0;
        session.validUntil = 0;
        _onSessionsChanged();
        emit SessionRevoked(key);
    }

    /// @notice Sets the guardian (address(0) to clear); owner only. The guardian is bound to the owner
    /// who set it: after the token changes hands it has no power.
    /// @param guardian_ The new guardian.
    function setGuardian(address guardian_) external {
        address owner_ = _sessionOwner();
        if (msg.sender != owner_ || owner_ == address(0)) revert SessionKeys_NotOwner(msg.sender);
        _guardian = Guardian(guardian_, owner_);
        _onSessionsChanged();
        emit GuardianSet(owner_, guardian_);
    }

    /// @notice The guardian, or address(0) if none or if it was set by a previous owner.
    /// @return The current guardian.
    function guardian() external view returns (address) {
        return _guardianOf(_sessionOwner());
    }

    /// @notice A key's policy and who granted it.
    /// @param key The session key.
    /// @return policy The policy as granted (empty if never granted; window zeroed once revoked).
    /// @return grantedBy The owner the session is bound to (0 if none).
    /// @return active Whether the key can act now (granted, same owner, inside its window).
    function getSession(address key)
        external
        view
        returns (SessionPolicy memory policy, address grantedBy, bool active)
    {
        Session storage session = _sessions[key];
        Scope storage scope = _scopes[key][session.generation];
        grantedBy = session.grantedBy;
        policy.validAfter = session.validAfter;
        policy.validUntil = session.validUntil;
        policy.period = session.period;
        policy.maxCallsPerPeriod = session.maxCallsPerPeriod;
        policy.nativeBudgetPerPeriod = session.nativeBudgetPerPeriod;
        policy.gasAllowance = session.gasAllowance;
        policy.maxFeePerGas = session.maxFeePerGas;
        policy.calls = scope.calls;
        policy.tokenBudgets = scope.tokenBudgets;
        policy.counterparties = scope.counterparties;
        policy.argumentRules = scope.argumentRules;
        active = grantedBy != address(0) && grantedBy == _sessionOwner() && block.timestamp >= policy.validAfter
            && block.timestamp <= policy.validUntil;
    }

    /// @notice A key's usage in the current period (zeroes once the period has rolled over).
    /// @param key The session key.
    /// @return usage The period start, call count and native spend.
    function getSessionUsage(address key) external view returns (SessionUsage memory usage) {
        Session storage session = _sessions[key];
        uint48 validAfter = session.validAfter;
        if (session.grantedBy == address(0) || block.timestamp < validAfter) return usage;
        uint32 period = session.period;
        uint256 index = (block.timestamp - validAfter) / period;
        // index * period <= block.timestamp - validAfter: fits 48 bits.
        // forge-lint: disable-next-line(unsafe-typecast)
        usage.periodStart = uint48(validAfter + index * period);
        // forge-lint: disable-next-line(unsafe-typecast)
        if (session.periodIndex == uint32(index)) {
            usage.calls = session.calls;
            usage.nativeSpent = session.nativeSpent;
        }
    }

    /// @notice What `key` has spent of `token` in the current period.
    /// @param key The session key.
    /// @param token The ERC-20 token.
    /// @return The amount charged in the current period.
    function getTokenSpent(address key, address token) external view returns (uint128) {
        Session storage session = _sessions[key];
        if (session.grantedBy == address(0) || block.timestamp < session.validAfter) return 0;
        TokenState memory state_ = _scopes[key][session.generation].tokens[token];
        return state_.periodIndex == _periodIndex(session.validAfter, session.period) ? state_.spent : 0;
    }

    // --------------------------------------------------------------- internal

    /// @dev The current owner of the account.
    function _sessionOwner() internal view virtual returns (address);

    /// @dev Called after every change of sessions or guardian.
    function _onSessionsChanged() internal virtual;

    /// @dev The account's owner epoch (bumped by the bound token contract on every transfer).
    function _sessionOwnerEpoch() internal view virtual returns (uint64);

    /// @dev Whether the bound token contract reports every transfer of the token to this account (asked
    /// at grant time; see `_provenSessionOwner`).
    function _sessionOwnerReported() internal view virtual returns (bool);

    /// @dev Checks one operation of session `key` against its policy and charges its call count and
    /// budgets (before the operation runs, so re-entrancy cannot double-spend). Reverts on any breach.
    /// @param owner_ The current owner, which must be the one that granted the session.
    function _useSession(address key, address owner_, address to, uint256 value, bytes memory data, uint8 operation)
        internal
    {
        Session storage session = _sessions[key];
        _checkSessionIdentity(key, session, owner_);
        Scope storage scope = _scopes[key][session.generation];
        bytes4 selector = _checkScope(key, scope, to, data, operation);
        uint32 index = _chargeUsage(key, session, value);
        if (_chargedBit(selector) != 0) _chargeToken(key, scope, to, selector, data, index);
    }

    /// @dev The owner the session of `key` is bound to, when this account's storage alone proves that it
    /// still holds the token: the session exists, its token contract promised at grant time to report
    /// every transfer to this account, and the owner epoch has not moved since. Else address(0): the
    /// caller must ask the token contract (`ownerOf`).
    function _provenSessionOwner(address key) internal view returns (address grantedBy) {
        Session storage session = _sessions[key];
        grantedBy = session.grantedBy;
        if (grantedBy == address(0) || !session.ownerReported || session.ownerEpoch != _sessionOwnerEpoch()) {
            return address(0);
        }
    }

    /// @dev For ERC-4337 validation, reading and writing only this account's storage and never the
    /// clock (ERC-7562): checks that `ops` is not empty and that every operation is in the scope of
    /// session `key` (reverts otherwise), then that the session is bound to the current owner epoch,
    /// that `maxFeePerGas` is within its cap and that `prefund` fits what is left of its gas allowance.
    /// If all holds, charges `prefund` (also when the signature turns out bad: the EntryPoint then
    /// reverts the whole bundle, so estimation with a stub signature measures the real path).
    /// @return valid False if the key has no session or breaks a gas rule (the operation must fail).
    /// @return validAfter Start of the session window.
    /// @return validUntil End of the session window.
    function _validateSessionOps(address key, Operation[] memory ops, uint256 maxFeePerGas, uint256 prefund)
        internal
        returns (bool valid, uint48 validAfter, uint48 validUntil)
    {
        Session storage session = _sessions[key];
        if (session.grantedBy == address(0)) return (false, 0, 0);
        if (ops.length == 0) revert SessionKeys_EmptyBatch(key);
        Scope storage scope = _scopes[key][session.generation];
        for (uint256 i; i < ops.length; ++i) {
            _checkScope(key, scope, ops[i].to, ops[i].data, ops[i].operation);
        }
        validAfter = session.validAfter;
        validUntil = session.validUntil;
        if (session.ownerEpoch != _sessionOwnerEpoch() || maxFeePerGas > session.maxFeePerGas) {
            return (false, validAfter, validUntil);
        }
        uint256 remaining = session.gasRemaining;
        if (prefund > remaining) return (false, validAfter, validUntil);
        // remaining - prefund < remaining <= type(uint96).max: no truncation.
        // forge-lint: disable-next-line(unsafe-typecast)
        session.gasRemaining = uint96(remaining - prefund);
        valid = true;
    }

    /// @notice Prefund charged to `key`'s gas allowance since its grant.
    /// @param key The session key.
    /// @return The wei charged.
    function getGasSpent(address key) external view returns (uint256) {
        Session storage session = _sessions[key];
        uint256 allowance = session.gasAllowance;
        if (allowance > _MAX_GAS_ALLOWANCE) allowance = _MAX_GAS_ALLOWANCE;
        return allowance - session.gasRemaining; // gasRemaining <= capped allowance always
    }

    /// @dev Reverts unless the session exists, is bound to `owner_` and is inside its window.
    function _checkSessionIdentity(address key, Session storage session, address owner_) private view {
        address grantedBy = session.grantedBy;
        uint48 validAfter = session.validAfter;
        uint48 validUntil = session.validUntil;
        if (grantedBy == address(0)) revert SessionKeys_NoSession(key);
        if (grantedBy != owner_) revert SessionKeys_OwnerChanged(key, grantedBy, owner_);
        if (block.timestamp < validAfter) revert SessionKeys_NotYetValid(key, validAfter);
        if (block.timestamp > validUntil) revert SessionKeys_Expired(key, validUntil);
    }

    /// @dev Operation kind, self-call and (target, selector) checks; returns the selector.
    function _checkScope(address key, Scope storage scope, address to, bytes memory data, uint8 operation)
        private
        view
        returns (bytes4 selector)
    {
        if (data.length != 0) {
            if (data.length < 4) revert SessionKeys_MalformedCall(key, to, bytes4(0));
            // forge-lint: disable-next-line(unsafe-typecast)
            selector = bytes4(data);
        }
        if (operation != ExecutionLib.OP_CALL) revert SessionKeys_OperationNotAllowed(key, operation);
        if (to == address(this)) revert SessionKeys_SelfCall(key, selector);
        uint8 bit = _chargedBit(selector);
        if (bit != 0) {
            if (scope.tokens[to].selectors & bit == 0) revert SessionKeys_CallNotAllowed(key, to, selector);
            return selector;
        }
        uint256 word = scope.permissions[to][selector];
        if (word == 0) revert SessionKeys_CallNotAllowed(key, to, selector);
        uint256 count = (word >> 8) & 0xff;
        for (uint256 i; i < count; ++i) {
            uint256 rule = word >> (16 + 16 * i);
            _checkArgument(key, scope, to, selector, data, uint8(rule >> 8), uint8(rule));
        }
    }

    /// @dev Reverts unless ABI word `argument` of `data` is an address allowed by rule `kind`.
    function _checkArgument(
        address key,
        Scope storage scope,
        address to,
        bytes4 selector,
        bytes memory data,
        uint8 argument,
        uint8 kind
    ) private view {
        if (data.length < 36 + 32 * uint256(argument)) revert SessionKeys_MalformedCall(key, to, selector);
        uint256 offset = 0x24 + 0x20 * uint256(argument); // past the length word and the selector
        uint256 word;
        assembly ("memory-safe") {
            word := mload(add(data, offset))
        }
        if (word > type(uint160).max) revert SessionKeys_MalformedCall(key, to, selector);
        // forge-lint: disable-next-line(unsafe-typecast)
        address value = address(uint160(word));
        bool ok;
        if (kind == _RULE_COUNTERPARTY) ok = scope.isCounterparty[value];
        else if (kind == _RULE_SESSION_KEY) ok = value == key;
        else ok = value == address(this);
        if (!ok) revert SessionKeys_ArgumentNotAllowed(key, to, selector, argument, value);
    }

    /// @dev Charges one operation and `value` of native currency to the session's current period.
    /// @return index The index of the current period.
    function _chargeUsage(address key, Session storage session, uint256 value) private returns (uint32 index) {
        index = _periodIndex(session.validAfter, session.period);
        uint256 calls;
        uint256 nativeSpent;
        if (session.periodIndex == index) {
            calls = session.calls;
            nativeSpent = session.nativeSpent;
        }
        uint32 maxCalls = session.maxCallsPerPeriod;
        if (calls >= maxCalls) revert SessionKeys_CallLimitReached(key, maxCalls);
        if (value != 0) {
            uint256 budget = session.nativeBudgetPerPeriod;
            if (budget > _MAX_NATIVE_BUDGET) budget = _MAX_NATIVE_BUDGET;
            uint256 remaining = budget - nativeSpent; // nativeSpent <= budget always (enforced here)
            if (value > remaining) revert SessionKeys_BudgetExceeded(key, address(0), value, remaining);
            nativeSpent += value;
        }
        session.periodIndex = index;
        // calls < maxCalls <= type(uint32).max and nativeSpent <= _MAX_NATIVE_BUDGET: no truncation.
        // forge-lint: disable-next-line(unsafe-typecast)
        session.calls = uint32(calls + 1);
        // forge-lint: disable-next-line(unsafe-typecast)
        session.nativeSpent = uint96(nativeSpent);
    }

    /// @dev Charges the amount of an ERC-20 `transfer`/`approve`/`increaseAllowance`/`transferFrom` to
    /// the token budget (zero if the token has none) and checks its recipient or spender.
    function _chargeToken(
        address key,
        Scope storage scope,
        address token_,
        bytes4 selector,
        bytes memory data,
        uint32 index
    ) private {
        bool isTransferFrom = selector == _TRANSFER_FROM;
        if (data.length < (isTransferFrom ? 100 : 68)) revert SessionKeys_MalformedCall(key, token_, selector);
        uint256 party;
        uint256 amount;
        assembly ("memory-safe") {
            // transferFrom(from, to, amount): party = to; the others (party, amount).
            party := mload(add(data, add(0x24, mul(isTransferFrom, 0x20))))
            amount := mload(add(data, add(0x44, mul(isTransferFrom, 0x20))))
        }
        if (party > type(uint160).max) revert SessionKeys_MalformedCall(key, token_, selector);
        // forge-lint: disable-next-line(unsafe-typecast)
        if (!scope.isCounterparty[address(uint160(party))]) {
            // forge-lint: disable-next-line(unsafe-typecast)
            revert SessionKeys_CounterpartyNotAllowed(key, token_, address(uint160(party)));
        }
        TokenState storage state_ = scope.tokens[token_];
        uint256 spent = state_.periodIndex == index ? state_.spent : 0;
        uint256 remaining = uint256(state_.budget) - spent; // spent <= budget always (enforced here)
        if (amount > remaining) revert SessionKeys_BudgetExceeded(key, token_, amount, remaining);
        // spent + amount <= budget <= type(uint104).max: no truncation.
        // forge-lint: disable-next-line(unsafe-typecast)
        state_.spent = uint104(spent + amount);
        state_.periodIndex = index;
    }

    /// @dev Owner or (bound) guardian; returns the owner.
    function _authorizeSessionAdmin() private view returns (address owner_) {
        owner_ = _sessionOwner();
        if (owner_ == address(0) || (msg.sender != owner_ && msg.sender != _guardianOf(owner_))) {
            revert SessionKeys_NotOwnerOrGuardian(msg.sender);
        }
    }

    /// @dev The guardian if `owner_` set it, else 0.
    function _guardianOf(address owner_) private view returns (address) {
        Guardian memory g = _guardian;
        return g.setBy == owner_ ? g.guardian : address(0);
    }

    /// @dev Index of the fixed window containing now, truncated to 32 bits (callers ensure
    /// block.timestamp >= validAfter; period > 0 by grant).
    function _periodIndex(uint48 validAfter, uint32 period) private view returns (uint32) {
        // unchecked: block.timestamp >= validAfter, so no underflow; truncation is intended (see the
        // contract notes).
        unchecked {
            return uint32((block.timestamp - validAfter) / period);
        }
    }

    /// @dev The bit of a charged selector in `TokenState.selectors`, or 0 if `selector` is not charged.
    function _chargedBit(bytes4 selector) private pure returns (uint8) {
        if (selector == _TRANSFER) return 1;
        if (selector == _APPROVE) return 2;
        if (selector == _TRANSFER_FROM) return 4;
        if (selector == _INCREASE_ALLOWANCE) return 8;
        return 0;
    }
}
