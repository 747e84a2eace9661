// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC6551Executable} from "../erc6551/IERC6551Executable.sol";
import {ExecutionLib, Operation} from "./ExecutionLib.sol";

/// @title Executor
/// @notice ERC-6551 `execute` and `executeBatch`: CALL, CREATE and CREATE2. DELEGATECALL is refused
/// for everyone.
/// @dev Why no DELEGATECALL: delegated code runs with this account's storage, so it could rewrite the
/// session policies, their usage counters, the guardian or the owner binding, which would make every
/// guarantee of `SessionKeys` void (and a buggy library could brick the account). Who may run which
/// operation is decided by the `_authorizeOperation` hook; executions cannot nest (a transient lock),
/// so a callee cannot re-enter the account to run more operations in the same transaction.
abstract contract Executor is IERC6551Executable {
    // ----------------------------------------------------------------- errors

    /// @notice DELEGATECALL is never supported (see the contract notes).
    error Executor_DelegateCallRefused();
    /// @notice The operation code is not CALL, CREATE or CREATE2.
    error Executor_UnsupportedOperation(uint8 operation);
    /// @notice CREATE or CREATE2 failed without revert data.
    error Executor_CreateFailed(uint8 operation);
    /// @notice CREATE2 data must start with a 32-byte salt.
    error Executor_MissingSalt();
    /// @notice An execution was attempted while another one is running.
    error Executor_Reentered();
    /// @notice A batch without operations (it would change `state()` without any authorization).
    error Executor_EmptyBatch();

    // ---------------------------------------------------------------- storage

    /// @dev Set while an execution runs (transient: cleared at the end of the transaction anyway).
    bool private transient _executing;

    // --------------------------------------------------------------- external

    /// @notice Runs one operation as the caller (the owner, or a session key within its policy).
    /// @param to The target (ignored by CREATE and CREATE2).
    /// @param value The native value to send.
    /// @param data The calldata (CALL), init code (CREATE) or salt ++ init code (CREATE2).
    /// @param operation 0 = CALL, 2 = CREATE, 3 = CREATE2 (1 = DELEGATECALL is refused).
    /// @return The call's return data, or the ABI-encoded address of the created contract. Reverts
    /// bubble up the callee's revert data.
    function execute(address to, uint256 value, bytes calldata data, uint8 operation)
        external
        payable
        returns (bytes memory)
    {
        _enter();
        address owner_ = _executorOwner(msg.sender);
        bytes memory result = _run(msg.sender, owner_, to, value, data, operation);
        _exit();
        return result;
    }

    /// @notice Runs several operations in order as the caller; all or nothing. An empty batch reverts.
    /// @param operations The operations, each in the `execute` shape.
    /// @return results Each operation's result, as in `execute`.
    function executeBatch(Operation[] calldata operations) external payable returns (bytes[] memory results) {
        if (operations.length == 0) revert Executor_EmptyBatch();
        _enter();
        address owner_ = _executorOwner(msg.sender);
        results = new bytes[](operations.length);
        for (uint256 i; i < operations.length; ++i) {
            Operation calldata op = operations[i];
            results[i] = _run(msg.sender, owner_, op.to, op.value, op.data, op.operation);
        }
        _exit();
    }

    // --------------------------------------------------------------- internal

    /// @dev The current owner of the account (read once per execution, before any operation runs);
    /// `signer` is who executes, so that the owner a session of `signer` is provably bound to can stand
    /// in for a call to the token contract.
    function _executorOwner(address signer) internal view virtual returns (address);

    /// @dev Reverts unless `signer` may run the operation; may charge budgets.
    function _authorizeOperation(
        address signer,
        address owner_,
        address to,
        uint256 value,
        bytes memory data,
        uint8 operation
    ) internal virtual;

    /// @dev Called once per execution, before its operations run.
    function _onExecution() internal virtual;

    /// @dev Runs an encoded `execute(...)` or `executeBatch(...)` call as `signer` (used by ERC-4337
    /// `executeUserOp`), through the same authorization as a direct call.
    function _executeEncoded(address signer, bytes calldata call) internal {
        Operation[] memory ops = ExecutionLib.decode(call);
        if (ops.length == 0) revert Executor_EmptyBatch();
        _enter();
        address owner_ = _executorOwner(signer);
        for (uint256 i; i < ops.length; ++i) {
            _run(signer, owner_, ops[i].to, ops[i].value, ops[i].data, ops[i].operation);
        }
        _exit();
    }

    /// @dev Takes the execution lock and bumps the state.
    function _enter() private {
        if (_executing) revert Executor_Reentered();
        _executing = true;
        _onExecution();
    }

    /// @dev Releases the execution lock.
    function _exit() private {
        _executing = false;
    }

    /// @dev Authorizes then performs one operation.
    function _run(address signer, address owner_, address to, uint256 value, bytes memory data, uint8 operation)
        private
        returns (bytes memory result)
    {
        if (operation == ExecutionLib.OP_DELEGATECALL) revert Executor_DelegateCallRefused();
        if (operation > ExecutionLib.OP_CREATE2) revert Executor_UnsupportedOperation(operation);
        _authorizeOperation(signer, owner_, to, value, data, operation);

        bool success;
        if (operation == ExecutionLib.OP_CALL) {
            (success, result) = to.call{value: value}(data);
            if (!success) _bubble(result);
            return result;
        }
        address created;
        if (operation == ExecutionLib.OP_CREATE) {
            assembly ("memory-safe") {
                created := create(value, add(data, 0x20), mload(data))
            }
        } else {
            if (data.length < 32) revert Executor_MissingSalt();
            assembly ("memory-safe") {
                created := create2(value, add(data, 0x40), sub(mload(data), 0x20), mload(add(data, 0x20)))
            }
        }
        if (created == address(0)) {
            assembly ("memory-safe") {
                if returndatasize() {
                    let ptr := mload(0x40)
                    returndatacopy(ptr, 0, returndatasize())
                    revert(ptr, returndatasize())
                }
            }
            revert Executor_CreateFailed(operation);
        }
        return abi.encode(created);
    }

    /// @dev Reverts with `revertData` as is.
    function _bubble(bytes memory revertData) private pure {
        assembly ("memory-safe") {
            revert(add(revertData, 0x20), mload(revertData))
        }
    }
}
