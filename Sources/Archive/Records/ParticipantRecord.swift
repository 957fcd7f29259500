import SessionSyncSupport

/// One participant of a meeting (`participants`).
public struct ParticipantRecord: Sendable, Equatable {
    public var externalID: String
    public var userID: String?
    public var displayName: String?
    public var role: String?
    public var joinedAt: Timestamp?
    public var leftAt: Timestamp?
    public var durationSeconds: Double?
    public var raw: String

    public init(
        externalID: String, userID: String? = nil, displayName: String? = nil, role: String? = nil,
        joinedAt: Timestamp? = nil, leftAt: Timestamp? = nil, durationSeconds: Double? = nil, raw: String
    ) {
        self.externalID = externalID
        self.userID = userID
        self.displayName = displayName
        self.role = role
        self.joinedAt = joinedAt
        self.leftAt = leftAt
        self.durationSeconds = durationSeconds
        self.raw = raw
    }
}
