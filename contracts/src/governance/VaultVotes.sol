// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";

/// @title VaultVotes
/// @notice Voting power from staked principal: one vote per unit of principal, checkpointed on an
/// ERC-6372 timestamp clock (so chain-time warps move governance time too).
/// @dev The vault only calls `_onPrincipalAdded` / `_onPrincipalRemoved` after its own principal
/// bookkeeping; `_principalOf` is the one source of voting units. A staker's first stake
/// delegates to themselves (no "delegate first" trap); afterwards `delegate` moves the votes.
abstract contract VaultVotes is Votes {
    // ---------------------------------------------------------------- external

    /// @notice The ERC-6372 clock: the block timestamp.
    /// @return The current timepoint.
    function clock() public view virtual override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice The ERC-6372 clock mode.
    /// @return "mode=timestamp".
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public view virtual override returns (string memory) {
        return "mode=timestamp";
    }

    // ---------------------------------------------------------------- internal

    /// @dev The principal of `account` (its voting units), after the vault's latest change.
    function _principalOf(address account) internal view virtual returns (uint256);

    /// @dev Voting units are principal.
    function _getVotingUnits(address account) internal view virtual override returns (uint256) {
        return _principalOf(account);
    }

    /// @dev `staker`'s principal grew from `heldBefore` by `added` (already recorded). On a first
    /// stake (nothing held, no delegate) the staker delegates to themselves, which moves the whole
    /// new principal to them; otherwise the added units follow the existing delegate.
    function _onPrincipalAdded(address staker, uint256 heldBefore, uint256 added) internal {
        _transferVotingUnits(address(0), staker, added);
        if (heldBefore == 0 && delegates(staker) == address(0)) _delegate(staker, staker);
    }

    /// @dev `staker`'s principal shrank by `removed` (already recorded): the units leave their delegate.
    function _onPrincipalRemoved(address staker, uint256 removed) internal {
        _transferVotingUnits(staker, address(0), removed);
    }
}
