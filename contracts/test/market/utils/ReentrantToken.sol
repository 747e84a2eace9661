// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A hostile ERC-20 that, on its next transfer out of `victim`, calls `victim` with `payload` and records
/// the revert data. Used to check that the market cannot be re-entered from a token callback.
contract ReentrantToken is ERC20 {
    address public victim;
    bytes public payload;
    bool public armed;
    bool public attempted;
    bool public reentrySucceeded;
    bytes public reentryRevertData;

    constructor() ERC20("Evil", "EVIL") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address victim_, bytes calldata payload_) external {
        victim = victim_;
        payload = payload_;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (armed && from == victim) {
            armed = false;
            attempted = true;
            (bool ok, bytes memory data) = victim.call(payload);
            reentrySucceeded = ok;
            reentryRevertData = data;
        }
    }
}
