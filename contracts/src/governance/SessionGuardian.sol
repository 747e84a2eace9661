// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAgentAccount} from "../interfaces/IAgentAccount.sol";

/// @title SessionGuardian
/// @notice The community's kill switch: set as the agent account's guardian, it lets one keeper (a
/// community multisig) revoke the agent's sessions, and nothing else. The account lets its
/// guardian grant too; this contract has no path to `grantSession`, `setGuardian` or `execute`,
/// so the keeper can stop the agent but never give it (or anyone) power.
contract SessionGuardian {
    /// @notice Only the keeper may revoke.
    error SessionGuardian_NotKeeper(address caller);
    /// @notice A zero address was given.
    error SessionGuardian_ZeroAddress();

    /// @notice The keeper revoked `key` on the account.
    event SessionKilled(address indexed keeper, address indexed key);

    IAgentAccount private immutable _account;
    address private immutable _keeper;

    /// @param account_ The agent's account.
    /// @param keeper_ Who may revoke (a community multisig).
    constructor(IAgentAccount account_, address keeper_) {
        if (address(account_) == address(0) || keeper_ == address(0)) revert SessionGuardian_ZeroAddress();
        _account = account_;
        _keeper = keeper_;
    }

    /// @notice Revokes the session of `key` on the account; the keeper only.
    /// @param key The session key to revoke.
    function revokeSession(address key) external {
        if (msg.sender != _keeper) revert SessionGuardian_NotKeeper(msg.sender);
        _account.revokeSession(key);
        emit SessionKilled(msg.sender, key);
    }

    /// @notice The guarded account.
    /// @return The account.
    function account() external view returns (IAgentAccount) {
        return _account;
    }

    /// @notice Who may revoke.
    /// @return The keeper.
    function keeper() external view returns (address) {
        return _keeper;
    }
}
