// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IAgentAccount
/// @notice Session keys for an ERC-6551 token-bound account: scoped, budgeted keys the owner (or a
/// guardian the owner set) grants, usable directly (the key calls `execute`) or through ERC-4337.
interface IAgentAccount {
    /// @notice One allowed (target, selector) pair. Selector 0x00000000 allows calls with empty calldata
    /// (plain native transfers) to `target`.
    struct CallPermission {
        address target;
        bytes4 selector;
    }

    /// @notice An ERC-20 budget per period, charged on `transfer`, `approve` and `transferFrom` amounts.
    struct TokenBudget {
        address token;
        uint128 amountPerPeriod;
    }

    /// @notice A rule on one ABI word of an allowed call: who an address argument may be. `argument` is
    /// the index of the 32-byte word after the selector (0 = the first argument; only static words).
    /// `kind`: 1 = an allowed counterparty, 2 = the session key itself, 3 = this account. Use it on
    /// every argument that decides who gets paid (a channel's provider and signer, a beneficiary).
    struct ArgumentRule {
        address target;
        bytes4 selector;
        uint8 argument;
        uint8 kind;
    }

    /// @notice What a session key may do.
    struct SessionPolicy {
        uint48 validAfter;
        uint48 validUntil;
        uint32 period; // seconds; budgets and call counts reset each period (> 0)
        uint32 maxCallsPerPeriod;
        uint128 nativeBudgetPerPeriod;
        // wei of ERC-4337 prefund (sum of the gas limits x maxFeePerGas) the key's user operations may
        // commit over the whole grant (re-granting refills it), charged in validation whether or not
        // the operation then succeeds
        uint128 gasAllowance;
        uint64 maxFeePerGas; // wei; a user operation signing a higher maxFeePerGas fails validation
        CallPermission[] calls;
        TokenBudget[] tokenBudgets;
        address[] counterparties; // allowed approve spenders and transfer / transferFrom recipients
        ArgumentRule[] argumentRules; // on granted (target, selector) pairs other than the four charged
    }

    /// @notice Usage of a session in its current period.
    struct SessionUsage {
        uint48 periodStart;
        uint32 calls;
        uint128 nativeSpent;
    }

    event GuardianSet(address indexed owner, address indexed guardian);
    event SessionGranted(address indexed key, address indexed grantedBy, uint48 validAfter, uint48 validUntil);
    event SessionRevoked(address indexed key);

    /// @notice Grants (or replaces) the policy of `key`; owner or guardian only.
    function grantSession(address key, SessionPolicy calldata policy) external;
    /// @notice Revokes `key`; owner or guardian only.
    function revokeSession(address key) external;
    /// @notice Sets the guardian (address(0) to clear); owner only. The guardian is bound to that owner.
    function setGuardian(address guardian) external;
    /// @notice The guardian, or address(0) if none or if it was set by a previous owner.
    function guardian() external view returns (address);

    /// @notice A key's policy and who granted it.
    function getSession(address key) external view returns (SessionPolicy memory policy, address grantedBy, bool active);
    /// @notice A key's usage in the current period (zeroes once the period has rolled over).
    function getSessionUsage(address key) external view returns (SessionUsage memory);
    /// @notice What `key` has spent of `token` in the current period.
    function getTokenSpent(address key, address token) external view returns (uint128);
    /// @notice Prefund charged to `key`'s gas allowance since its grant.
    function getGasSpent(address key) external view returns (uint256);
}
