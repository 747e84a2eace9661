// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IYieldVault
/// @notice Stakers deposit an asset that is put into an ERC-4626 yield source; only the yield above
/// total principal is ever sent to the beneficiary (the agent's TBA). Each staker's share of every
/// harvest is attributed to them (an accumulator per unit of principal): their compute balance.
interface IYieldVault {
    event Staked(address indexed staker, uint256 assets, uint256 principal, uint64 unlocksAt);
    event Unstaked(address indexed staker, uint256 principalBurned, uint256 assetsReturned);
    event YieldAttributed(uint256 yield, uint256 accYieldPerPrincipal);
    event Harvested(address indexed caller, address indexed beneficiary, uint256 amount);
    event LossReported(uint256 value, uint256 totalPrincipal);

    /// @notice The staked ERC-20.
    function asset() external view returns (address);
    /// @notice The ERC-4626 yield source the assets are put into.
    function source() external view returns (address);
    /// @notice Who receives harvested yield.
    function beneficiary() external view returns (address);
    /// @notice Seconds a new stake is locked (averaged, weighted by amount, into the staker's locked part).
    function lockPeriod() external view returns (uint64);

    /// @notice Stakes `assets` of msg.sender.
    function stake(uint256 assets) external;
    /// @notice Stakes `assets` of msg.sender on behalf of `staker` (batches, onboarding).
    function stakeFor(address staker, uint256 assets) external;
    /// @notice Returns `principal` of msg.sender's withdrawable principal (pro rata less on a loss).
    function unstake(uint256 principal) external;
    /// @notice Sends realized yield (value above total principal) to the beneficiary; anyone may call.
    /// @return amount What was sent.
    function harvest() external returns (uint256 amount);

    /// @notice Assets the vault's source position is worth now.
    function totalValue() external view returns (uint256);
    /// @notice Sum of all stakers' principal.
    function totalPrincipal() external view returns (uint256);
    /// @notice What `harvest` would send now.
    function pendingYield() external view returns (uint256);
    /// @notice Total ever sent to the beneficiary.
    function totalHarvested() external view returns (uint256);
    /// @notice A staker's principal.
    function principalOf(address staker) external view returns (uint256);
    /// @notice When a staker's locked part unlocks, so all their principal is withdrawable.
    function unlocksAt(address staker) external view returns (uint64);
    /// @notice Principal `staker` may unstake now: all of it from `unlocksAt` on, else what is not locked.
    function withdrawableOf(address staker) external view returns (uint256);
    /// @notice Yield attributed to a staker so far (including pending yield): their compute balance.
    function computeBalanceOf(address staker) external view returns (uint256);
    /// @notice Number of stakers with non-zero principal.
    function stakerCount() external view returns (uint256);
}
