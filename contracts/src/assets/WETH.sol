// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title WETH
/// @notice Wrapped ether for the devnet, with WETH9's interface (`deposit`, `withdraw`, `Deposit`,
/// `Withdrawal`, 18 decimals): what Uniswap's periphery and the ETH vault expect. Every token is
/// backed one to one by ether held here. On real networks the canonical WETH9 is used instead.
contract WETH is ERC20 {
    // ------------------------------------------------------------------ errors

    /// @notice Sending ether back to `to` failed.
    error WETH_EtherTransferFailed(address to, uint256 amount);

    // ------------------------------------------------------------------ events

    /// @notice `to` wrapped `amount` ether.
    event Deposit(address indexed to, uint256 amount);
    /// @notice `from` unwrapped `amount` ether.
    event Withdrawal(address indexed from, uint256 amount);

    // ------------------------------------------------------------------ constructor

    constructor() ERC20("Wrapped Ether", "WETH") {}

    // ------------------------------------------------------------------ external

    /// @notice Wraps ether sent with the call, like `deposit()`.
    receive() external payable {
        _wrap();
    }

    /// @notice Wraps the ether sent into as many tokens, for the caller.
    function deposit() external payable {
        _wrap();
    }

    /// @notice Burns `amount` of the caller's tokens and sends them as much ether.
    /// @param amount Tokens to unwrap.
    function withdraw(uint256 amount) external {
        _burn(msg.sender, amount);
        emit Withdrawal(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert WETH_EtherTransferFailed(msg.sender, amount);
    }

    // ------------------------------------------------------------------ internal

    function _wrap() internal {
        _mint(msg.sender, msg.value);
        emit Deposit(msg.sender, msg.value);
    }
}
