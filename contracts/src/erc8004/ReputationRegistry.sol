// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev What the Reputation Registry reads from the Identity Registry.
interface IIdentityRegistryView {
    function isAuthorizedOrOwner(address spender, uint256 agentId) external view returns (bool);
}

/// @title ReputationRegistry
/// @notice The ERC-8004 ("Trustless Agents") Reputation Registry, written from the ERC: any client
/// posts feedback on a registered agent (a signed fixed-point `value` with `valueDecimals`, two
/// optional tags, the endpoint it used, an optional off-chain file and its hash), may revoke it;
/// anyone may append a response; reads summarise feedback filtered by client addresses and tags.
/// @dev Feedback by the agent's owner or an operator it approved is refused (no self-feedback).
/// `getSummary` requires a non-empty client list: an unfiltered average is what Sybil feedback
/// would move, so callers say whose feedback they trust.
contract ReputationRegistry {
    // ---------------------------------------------------------------- errors

    /// @notice `valueDecimals` above 18.
    error ReputationRegistry_InvalidDecimals(uint8 valueDecimals);
    /// @notice The owner or an operator of `agentId` cannot give it feedback.
    error ReputationRegistry_SelfFeedback(address client, uint256 agentId);
    /// @notice `client` has no feedback `feedbackIndex` on `agentId`.
    error ReputationRegistry_UnknownFeedback(uint256 agentId, address client, uint64 feedbackIndex);
    /// @notice The feedback was already revoked.
    error ReputationRegistry_AlreadyRevoked(uint256 agentId, address client, uint64 feedbackIndex);
    /// @notice A summary needs the clients whose feedback counts.
    error ReputationRegistry_ClientsRequired();

    // ---------------------------------------------------------------- events

    /// @notice `clientAddress` gave feedback number `feedbackIndex` on `agentId`.
    event NewFeedback(
        uint256 indexed agentId,
        address indexed clientAddress,
        uint64 feedbackIndex,
        int128 value,
        uint8 valueDecimals,
        string indexed indexedTag1,
        string tag1,
        string tag2,
        string endpoint,
        string feedbackURI,
        bytes32 feedbackHash
    );
    /// @notice `clientAddress` revoked its feedback `feedbackIndex` on `agentId`.
    event FeedbackRevoked(uint256 indexed agentId, address indexed clientAddress, uint64 indexed feedbackIndex);
    /// @notice `responder` answered feedback `feedbackIndex` of `clientAddress` on `agentId`.
    event ResponseAppended(
        uint256 indexed agentId,
        address indexed clientAddress,
        uint64 feedbackIndex,
        address indexed responder,
        string responseURI,
        bytes32 responseHash
    );

    // ---------------------------------------------------------------- storage

    /// @dev One feedback as stored (the URI and hash live only in the event).
    struct Feedback {
        int128 value;
        uint8 valueDecimals;
        bool isRevoked;
        string tag1;
        string tag2;
    }

    /// @dev A running summary (a tag hash of zero matches any tag).
    struct Tally {
        int256 sum;
        uint64 count;
        uint8 decimals;
        bytes32 tag1Hash;
        bytes32 tag2Hash;
    }

    address private immutable _identityRegistry;
    mapping(uint256 agentId => mapping(address client => Feedback[])) private _feedback;
    mapping(uint256 agentId => address[]) private _clients;
    mapping(uint256 agentId => mapping(address client => mapping(uint64 feedbackIndex => mapping(address responder => uint64)))) private
        _responses;
    mapping(uint256 agentId => mapping(address client => mapping(uint64 feedbackIndex => uint64))) private _responseTotals;

    // ---------------------------------------------------------------- constructor

    /// @param identityRegistry_ The ERC-8004 Identity Registry whose agents this registry rates.
    constructor(address identityRegistry_) {
        _identityRegistry = identityRegistry_;
    }

    // ---------------------------------------------------------------- external

    /// @notice The Identity Registry whose agents this registry rates.
    /// @return identityRegistry Its address.
    function getIdentityRegistry() external view returns (address identityRegistry) {
        return _identityRegistry;
    }

    /// @notice Posts feedback on `agentId` as `msg.sender` (the client).
    /// @param agentId A registered agent (reverts otherwise), not owned or operated by the caller.
    /// @param value The signed fixed-point value (`value / 10**valueDecimals`).
    /// @param valueDecimals 0 to 18.
    /// @param tag1 Optional tag (filterable).
    /// @param tag2 Optional tag (filterable).
    /// @param endpoint Optional endpoint the feedback is about.
    /// @param feedbackURI Optional off-chain feedback file (event only).
    /// @param feedbackHash Optional keccak256 of that file (event only).
    function giveFeedback(
        uint256 agentId,
        int128 value,
        uint8 valueDecimals,
        string memory tag1,
        string memory tag2,
        string memory endpoint,
        string memory feedbackURI,
        bytes32 feedbackHash
    ) external {
        // Strings in memory (one stack slot each, where calldata takes two): the event's eleven
        // fields do not fit the stack otherwise.
        if (valueDecimals > 18) revert ReputationRegistry_InvalidDecimals(valueDecimals);
        // Reverts for an unknown agent.
        if (IIdentityRegistryView(_identityRegistry).isAuthorizedOrOwner(msg.sender, agentId)) {
            revert ReputationRegistry_SelfFeedback(msg.sender, agentId);
        }
        Feedback[] storage list = _feedback[agentId][msg.sender];
        if (list.length == 0) _clients[agentId].push(msg.sender);
        list.push(Feedback({value: value, valueDecimals: valueDecimals, isRevoked: false, tag1: tag1, tag2: tag2}));
        emit NewFeedback(
            agentId, msg.sender, uint64(list.length), value, valueDecimals, tag1, tag1, tag2, endpoint, feedbackURI, feedbackHash
        );
    }

    /// @notice Revokes the caller's feedback `feedbackIndex` (1-based) on `agentId`.
    /// @param agentId The agent.
    /// @param feedbackIndex The caller's feedback number.
    function revokeFeedback(uint256 agentId, uint64 feedbackIndex) external {
        Feedback storage feedback = _stored(agentId, msg.sender, feedbackIndex);
        if (feedback.isRevoked) revert ReputationRegistry_AlreadyRevoked(agentId, msg.sender, feedbackIndex);
        feedback.isRevoked = true;
        emit FeedbackRevoked(agentId, msg.sender, feedbackIndex);
    }

    /// @notice Appends a response to a feedback (anyone: the agent showing a refund, a spam tagger).
    /// @param agentId The agent.
    /// @param clientAddress The feedback's client.
    /// @param feedbackIndex Its number.
    /// @param responseURI The response file.
    /// @param responseHash keccak256 of that file (not needed for content-addressed URIs).
    function appendResponse(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        string calldata responseURI,
        bytes32 responseHash
    ) external {
        _stored(agentId, clientAddress, feedbackIndex);
        ++_responses[agentId][clientAddress][feedbackIndex][msg.sender];
        ++_responseTotals[agentId][clientAddress][feedbackIndex];
        emit ResponseAppended(agentId, clientAddress, feedbackIndex, msg.sender, responseURI, responseHash);
    }

    /// @notice Count and average of the non-revoked feedback on `agentId` by `clientAddresses`,
    /// optionally only with the given tags (an empty tag matches any).
    /// @dev Values are averaged at 18 decimals and returned at the largest `valueDecimals` seen
    /// (0 without feedback), rounding toward zero.
    /// @param agentId The agent.
    /// @param clientAddresses The clients whose feedback counts (required, see the contract's @dev).
    /// @param tag1 Tag filter (empty: any).
    /// @param tag2 Tag filter (empty: any).
    /// @return count How many feedback entries matched.
    /// @return summaryValue Their average.
    /// @return summaryValueDecimals Decimals of `summaryValue`.
    function getSummary(uint256 agentId, address[] calldata clientAddresses, string calldata tag1, string calldata tag2)
        external
        view
        returns (uint64 count, int128 summaryValue, uint8 summaryValueDecimals)
    {
        if (clientAddresses.length == 0) revert ReputationRegistry_ClientsRequired();
        Tally memory tally = Tally({
            sum: 0,
            count: 0,
            decimals: 0,
            tag1Hash: bytes(tag1).length == 0 ? bytes32(0) : keccak256(bytes(tag1)),
            tag2Hash: bytes(tag2).length == 0 ? bytes32(0) : keccak256(bytes(tag2))
        });
        for (uint256 c; c < clientAddresses.length; ++c) {
            _tally(_feedback[agentId][clientAddresses[c]], tally);
        }
        if (tally.count == 0) return (0, 0, 0);
        // The average of int128 values fits int128 at their own largest decimals.
        int256 average = tally.sum / int256(uint256(tally.count)) / int256(10 ** (18 - uint256(tally.decimals)));
        return (tally.count, int128(average), tally.decimals);
    }

    /// @notice One feedback.
    /// @param agentId The agent.
    /// @param clientAddress The client.
    /// @param feedbackIndex Its number (1-based).
    /// @return value The value.
    /// @return valueDecimals Its decimals.
    /// @return tag1 First tag.
    /// @return tag2 Second tag.
    /// @return isRevoked Whether the client revoked it.
    function readFeedback(uint256 agentId, address clientAddress, uint64 feedbackIndex)
        external
        view
        returns (int128 value, uint8 valueDecimals, string memory tag1, string memory tag2, bool isRevoked)
    {
        Feedback storage feedback = _stored(agentId, clientAddress, feedbackIndex);
        return (feedback.value, feedback.valueDecimals, feedback.tag1, feedback.tag2, feedback.isRevoked);
    }

    /// @notice Responses appended to a feedback, by `responders` (all responders when empty).
    /// @param agentId The agent.
    /// @param clientAddress The client.
    /// @param feedbackIndex The feedback number.
    /// @param responders Whose responses count (empty: everyone's).
    /// @return count The number of responses.
    function getResponseCount(uint256 agentId, address clientAddress, uint64 feedbackIndex, address[] calldata responders)
        external
        view
        returns (uint64 count)
    {
        if (responders.length == 0) return _responseTotals[agentId][clientAddress][feedbackIndex];
        for (uint256 i; i < responders.length; ++i) {
            count += _responses[agentId][clientAddress][feedbackIndex][responders[i]];
        }
    }

    /// @notice Every client that gave `agentId` feedback, in order of first feedback.
    /// @param agentId The agent.
    /// @return The clients.
    function getClients(uint256 agentId) external view returns (address[] memory) {
        return _clients[agentId];
    }

    /// @notice The number of the last feedback `clientAddress` gave `agentId` (0 when none).
    /// @param agentId The agent.
    /// @param clientAddress The client.
    /// @return The last feedback index.
    function getLastIndex(uint256 agentId, address clientAddress) external view returns (uint64) {
        return uint64(_feedback[agentId][clientAddress].length);
    }

    // ---------------------------------------------------------------- internal

    function _stored(uint256 agentId, address client, uint64 feedbackIndex) private view returns (Feedback storage) {
        Feedback[] storage list = _feedback[agentId][client];
        if (feedbackIndex == 0 || feedbackIndex > list.length) {
            revert ReputationRegistry_UnknownFeedback(agentId, client, feedbackIndex);
        }
        return list[feedbackIndex - 1];
    }

    /// @dev Adds the non-revoked entries of `list` matching the tags to `tally` (sum at 18 decimals).
    function _tally(Feedback[] storage list, Tally memory tally) private view {
        for (uint256 i; i < list.length; ++i) {
            Feedback storage feedback = list[i];
            if (feedback.isRevoked) continue;
            if (tally.tag1Hash != 0 && keccak256(bytes(feedback.tag1)) != tally.tag1Hash) continue;
            if (tally.tag2Hash != 0 && keccak256(bytes(feedback.tag2)) != tally.tag2Hash) continue;
            tally.sum += int256(feedback.value) * int256(10 ** (18 - uint256(feedback.valueDecimals)));
            if (feedback.valueDecimals > tally.decimals) tally.decimals = feedback.valueDecimals;
            ++tally.count;
        }
    }
}
