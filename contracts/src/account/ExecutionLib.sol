// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice One operation of `executeBatch`, in the ERC-6551 `execute` shape.
struct Operation {
    address to;
    uint256 value;
    bytes data;
    uint8 operation;
}

/// @title ExecutionLib
/// @notice Operation codes of ERC-6551 `execute` and the decoding of an encoded `execute` /
/// `executeBatch` call (the inner call of an ERC-4337 `executeUserOp`).
library ExecutionLib {
    /// @notice The encoded call is neither `execute` nor `executeBatch`.
    error ExecutionLib_UnsupportedCall(bytes4 selector);

    uint8 internal constant OP_CALL = 0;
    uint8 internal constant OP_DELEGATECALL = 1;
    uint8 internal constant OP_CREATE = 2;
    uint8 internal constant OP_CREATE2 = 3;

    /// @dev `execute(address,uint256,bytes,uint8)`, the IERC6551Executable selector.
    bytes4 internal constant EXECUTE_SELECTOR = 0x51945447;
    /// @dev `executeBatch((address,uint256,bytes,uint8)[])`.
    bytes4 internal constant EXECUTE_BATCH_SELECTOR =
        bytes4(keccak256("executeBatch((address,uint256,bytes,uint8)[])"));

    /// @notice Decodes `execute(...)` or `executeBatch(...)` calldata into operations.
    /// @param call The ABI-encoded call, selector included.
    /// @return ops The operations it would run, in order.
    function decode(bytes calldata call) internal pure returns (Operation[] memory ops) {
        bytes4 selector = call.length < 4 ? bytes4(0) : bytes4(call[:4]);
        if (selector == EXECUTE_SELECTOR) {
            (address to, uint256 value, bytes memory data, uint8 operation) =
                abi.decode(call[4:], (address, uint256, bytes, uint8));
            ops = new Operation[](1);
            ops[0] = Operation(to, value, data, operation);
        } else if (selector == EXECUTE_BATCH_SELECTOR) {
            ops = abi.decode(call[4:], (Operation[]));
        } else {
            revert ExecutionLib_UnsupportedCall(selector);
        }
    }
}
