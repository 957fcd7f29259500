import SQLiteDB

/// What a provider may read back about a session it archived.
public struct ArchivedSession: Sendable, Equatable {
    public let externalID: String
    public let status: String?
    public let startedAt: String?
    public let endedAt: String?
    public let updatedAt: String
    /// When a listing or a read of the session last brought it: what a revisit request is
    /// versioned by, so that a revisit that failed is not asked afresh while one that worked is.
    public let lastSeenAt: String
    public let raw: String

    /// The `sessions` columns ``init(row:)`` reads, in its order.
    static let columns = "external_id, status, started_at, ended_at, updated_at, last_seen_at, raw"

    public init(
        externalID: String, status: String?, startedAt: String?, endedAt: String?, updatedAt: String,
        lastSeenAt: String,
        raw: String
    ) {
        self.externalID = externalID
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.updatedAt = updatedAt
        self.lastSeenAt = lastSeenAt
        self.raw = raw
    }

    init(row: Statement) {
        externalID = row.text(at: 0) ?? ""
        status = row.text(at: 1)
        startedAt = row.text(at: 2)
        endedAt = row.text(at: 3)
        updatedAt = row.text(at: 4) ?? ""
        lastSeenAt = row.text(at: 5) ?? ""
        raw = row.text(at: 6) ?? "{}"
    }
}
