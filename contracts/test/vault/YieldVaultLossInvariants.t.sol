// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {YieldVaultInvariantBase} from "./YieldVaultInvariants.t.sol";

/// @notice The source may lose value: losses are shared pro rata, never hidden, never leaked.
contract YieldVaultLossInvariants is YieldVaultInvariantBase {
    function _withLosses() internal pure override returns (bool) {
        return true;
    }

    /// @dev Every staker leaves with their pro-rata share of what is left (checked per unstake).
    function afterInvariant() public {
        handler.unstakeEveryone();
        assertEq(vault.totalPrincipal(), 0);
        assertEq(handler.ghostUnfairUnstakes(), 0, "an unstake was not pro rata");
        assertLe(handler.ghostAssetsReturned(), handler.ghostPrincipalOut() + handler.ghostEarned() + handler.ghostCalls());
    }
}
