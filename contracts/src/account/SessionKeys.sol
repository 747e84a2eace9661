// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

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
///   token changes hands, its calls revert.
/// Policies live in a per-grant generation of mappings, so checks are O(1) and a new grant starts
/// from a clean slate without loops over old data.
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

    // ---------------------------------------------------------------- storage

    /// @dev `transfer(address,uint256)`.
    bytes4 private constant _TRANSFER = 0xa9059cbb;
    /// @dev `approve(address,uint256)`.
    bytes4 private constant _APPROVE = 0x095ea7b3;
    /// @dev `increaseAllowance(address,uint256)`: charged like approve.
    bytes4 private constant _INCREASE_ALLOWANCE = 0x39509351;
    /// @dev `transferFrom(address,address,uint256)`.
    bytes4 private constant _TRANSFER_FROM = 0x23b872dd;

    /// @dev A session, packed in three slots: identity and window; configuration; usage.
    struct Session {
        // slot 0
        address grantedBy; // owner at grant time; 0 = no session
        uint48 validAfter;
        uint48 validUntil;
        // slot 1
        uint128 nativeBudgetPerPeriod;
        uint32 period;
        uint32 maxCallsPerPeriod;
        uint64 generation; // selects the Scope of the current grant
        // slot 2
        uint128 nativeSpent;
        uint48 periodStart;
        uint32 calls;
    }

    /// @dev Spend of one token in the period starting at `periodStart`.
    struct TokenSpend {
        uint128 spent;
        uint48 periodStart;
    }

    /// @dev The scope of one grant: O(1) lookups for execution, arrays for `getSession`.
    struct Scope {
        mapping(address target => mapping(bytes4 selector => bool)) allowed;
        mapping(address token => uint128) tokenBudget;
        mapping(address token => TokenSpend) tokenSpend;
        mapping(address counterparty => bool) isCounterparty;
        CallPermission[] calls;
        TokenBudget[] tokenBudgets;
        address[] counterparties;
    }

    /// @dev The guardian and the owner that set it.
    struct Guardian {
        address guardian;
        address setBy;
    }

    mapping(address key => Session) private _sessions;
    mapping(address key => mapping(uint64 generation => Scope)) private _scopes;
    Guardian private _guardian;

    // --------------------------------------------------------------- external

    /// @notice Grants (or replaces) the policy of `key`; owner or guardian only. The session is bound to
    /// the current owner. Replacing a policy resets its usage.
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
        uint64 generation;
        // unchecked: a 64-bit counter bumped once per grant cannot overflow.
        unchecked {
            generation = session.generation + 1;
        }
        session.grantedBy = owner_;
        session.validAfter = policy.validAfter;
        session.validUntil = policy.validUntil;
        session.nativeBudgetPerPeriod = policy.nativeBudgetPerPeriod;
        session.period = policy.period;
        session.maxCallsPerPeriod = policy.maxCallsPerPeriod;
        session.generation = generation;
        session.nativeSpent = 0;
        session.periodStart = 0;
        session.calls = 0;

        Scope storage scope = _scopes[key][generation];
        for (uint256 i; i < policy.tokenBudgets.length; ++i) {
            TokenBudget calldata budget = policy.tokenBudgets[i];
            if (budget.token == address(0) || budget.token == address(this)) {
                revert SessionKeys_InvalidTokenBudget(budget.token);
            }
            scope.tokenBudget[budget.token] = budget.amountPerPeriod;
            scope.tokenBudgets.push(budget);
        }
        for (uint256 i; i < policy.calls.length; ++i) {
            CallPermission calldata permission = policy.calls[i];
            if (
                permission.target == address(this)
                    || (scope.tokenBudget[permission.target] != 0 && !_isCharged(permission.selector))
            ) revert SessionKeys_InvalidPermission(permission.target, permission.selector);
            scope.allowed[permission.target][permission.selector] = true;
            scope.calls.push(permission);
        }
        for (uint256 i; i < policy.counterparties.length; ++i) {
            scope.isCounterparty[policy.counterparties[i]] = true;
            scope.counterparties.push(policy.counterparties[i]);
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
    /// @return policy The policy (empty if never granted; the last one's window is zeroed if revoked).
    /// @return grantedBy The owner bound to the session (0 if none).
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
        policy.calls = scope.calls;
        policy.tokenBudgets = scope.tokenBudgets;
        policy.counterparties = scope.counterparties;
        active = grantedBy != address(0) && grantedBy == _sessionOwner() && block.timestamp >= policy.validAfter
            && block.timestamp <= policy.validUntil;
    }

    /// @notice A key's usage in the current period (zeroes once the period has rolled over).
    /// @param key The session key.
    /// @return usage The period start, call count and native spend.
    function getSessionUsage(address key) external view returns (SessionUsage memory usage) {
        Session storage session = _sessions[key];
        if (session.grantedBy == address(0) || block.timestamp < session.validAfter) return usage;
        uint48 periodStart = _currentPeriodStart(session.validAfter, session.period);
        usage.periodStart = periodStart;
        if (session.periodStart == periodStart) {
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
        TokenSpend memory spend = _scopes[key][session.generation].tokenSpend[token];
        return spend.periodStart == _currentPeriodStart(session.validAfter, session.period) ? spend.spent : 0;
    }

    // --------------------------------------------------------------- internal

    /// @dev The current owner of the account.
    function _sessionOwner() internal view virtual returns (address);

    /// @dev Called after every change of sessions or guardian.
    function _onSessionsChanged() internal virtual;

    /// @dev Checks one operation of session `key` against its policy and charges its call count and
    /// budgets (before the operation runs, so re-entrancy cannot double-spend). Reverts on any breach.
    /// @param owner_ The current owner, which must be the one that granted the session.
    function _useSession(address key, address owner_, address to, uint256 value, bytes memory data, uint8 operation)
        internal
    {
        Session storage session = _sessions[key];
        uint48 validAfter = _checkSessionIdentity(key, session, owner_);
        uint64 generation = session.generation;
        bytes4 selector = _checkScope(key, generation, to, data, operation);
        uint48 periodStart = _chargeUsage(key, session, validAfter, value);
        if (_isCharged(selector)) _chargeToken(key, _scopes[key][generation], to, selector, data, periodStart);
        emit SessionUsed(key, to, selector, value);
    }

    /// @dev Reverts unless the session exists, is bound to `owner_` and is inside its window.
    /// @return validAfter The start of the window.
    function _checkSessionIdentity(address key, Session storage session, address owner_)
        private
        view
        returns (uint48 validAfter)
    {
        address grantedBy = session.grantedBy;
        validAfter = session.validAfter;
        uint48 validUntil = session.validUntil;
        if (grantedBy == address(0)) revert SessionKeys_NoSession(key);
        if (grantedBy != owner_) revert SessionKeys_OwnerChanged(key, grantedBy, owner_);
        if (block.timestamp < validAfter) revert SessionKeys_NotYetValid(key, validAfter);
        if (block.timestamp > validUntil) revert SessionKeys_Expired(key, validUntil);
    }

    /// @dev Charges one operation and `value` of native currency to the session's current period.
    /// @return periodStart The start of the current period.
    function _chargeUsage(address key, Session storage session, uint48 validAfter, uint256 value)
        private
        returns (uint48 periodStart)
    {
        periodStart = _currentPeriodStart(validAfter, session.period);
        uint256 calls;
        uint256 nativeSpent;
        if (session.periodStart == periodStart) {
            calls = session.calls;
            nativeSpent = session.nativeSpent;
        }
        uint32 maxCalls = session.maxCallsPerPeriod;
        if (calls >= maxCalls) revert SessionKeys_CallLimitReached(key, maxCalls);
        if (value != 0) {
            uint256 remaining = session.nativeBudgetPerPeriod - nativeSpent; // nativeSpent <= budget always
            if (value > remaining) revert SessionKeys_BudgetExceeded(key, address(0), value, remaining);
            nativeSpent += value;
        }
        // calls < maxCalls <= type(uint32).max and nativeSpent <= budget <= type(uint128).max: no truncation.
        session.nativeSpent = uint128(nativeSpent);
        session.periodStart = periodStart;
        session.calls = uint32(calls + 1);
    }

    /// @dev For ERC-4337 validation: checks that every operation is in the scope of session `key`, reading
    /// only this account's storage (ERC-7562). Reverts on an out-of-scope operation.
    /// @return known Whether `key` has a session (false: the signature must be rejected).
    /// @return validAfter Start of the session window.
    /// @return validUntil End of the session window.
    function _checkSessionOps(address key, Operation[] memory ops)
        internal
        view
        returns (bool known, uint48 validAfter, uint48 validUntil)
    {
        Session storage session = _sessions[key];
        if (session.grantedBy == address(0)) return (false, 0, 0);
        uint64 generation = session.generation;
        for (uint256 i; i < ops.length; ++i) {
            _checkScope(key, generation, ops[i].to, ops[i].data, ops[i].operation);
        }
        return (true, session.validAfter, session.validUntil);
    }

    /// @dev Operation kind, self-call and (target, selector) checks; returns the selector.
    function _checkScope(address key, uint64 generation, address to, bytes memory data, uint8 operation)
        private
        view
        returns (bytes4 selector)
    {
        if (data.length != 0) {
            if (data.length < 4) revert SessionKeys_MalformedCall(key, to, bytes4(0));
            selector = bytes4(data);
        }
        if (operation != ExecutionLib.OP_CALL) revert SessionKeys_OperationNotAllowed(key, operation);
        if (to == address(this)) revert SessionKeys_SelfCall(key, selector);
        if (!_scopes[key][generation].allowed[to][selector]) revert SessionKeys_CallNotAllowed(key, to, selector);
    }

    /// @dev Charges the amount of an ERC-20 `transfer`/`approve`/`increaseAllowance`/`transferFrom` to
    /// the token budget and checks its counterparty.
    function _chargeToken(
        address key,
        Scope storage scope,
        address token_,
        bytes4 selector,
        bytes memory data,
        uint48 periodStart
    ) private {
        bool isTransferFrom = selector == _TRANSFER_FROM;
        if (data.length < (isTransferFrom ? 100 : 68)) revert SessionKeys_MalformedCall(key, token_, selector);
        uint256 party;
        uint256 amount;
        assembly ("memory-safe") {
            // transferFrom(from, to, amount): party = to; others (party, amount).
            party := mload(add(data, add(0x24, mul(isTransferFrom, 0x20))))
            amount := mload(add(data, add(0x44, mul(isTransferFrom, 0x20))))
        }
        if (party > type(uint160).max) revert SessionKeys_MalformedCall(key, token_, selector);
        if (!scope.isCounterparty[address(uint160(party))]) {
            revert SessionKeys_CounterpartyNotAllowed(key, token_, address(uint160(party)));
        }
        uint256 budget = scope.tokenBudget[token_];
        TokenSpend storage spend = scope.tokenSpend[token_];
        uint256 spent = spend.periodStart == periodStart ? spend.spent : 0;
        // spent <= budget always holds (enforced here).
        if (amount > budget - spent) revert SessionKeys_BudgetExceeded(key, token_, amount, budget - spent);
        // spent + amount <= budget <= type(uint128).max.
        spend.spent = uint128(spent + amount);
        spend.periodStart = periodStart;
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

    /// @dev Start of the fixed window containing now (requires now >= validAfter).
    function _currentPeriodStart(uint48 validAfter, uint32 period) private view returns (uint48) {
        // unchecked: callers ensure block.timestamp >= validAfter and period > 0; the result is
        // <= block.timestamp, which fits 48 bits.
        unchecked {
            return uint48(validAfter + ((block.timestamp - validAfter) / period) * period);
        }
    }

    /// @dev Whether calls with `selector` are charged to the target's token budget.
    function _isCharged(bytes4 selector) private pure returns (bool) {
        return selector == _TRANSFER || selector == _APPROVE || selector == _TRANSFER_FROM
            || selector == _INCREASE_ALLOWANCE;
    }
}
