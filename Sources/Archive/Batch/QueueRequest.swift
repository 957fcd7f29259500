import SessionSyncSupport

/// Asks for per-session work (`fetch_queue`): fetch `kind` for `externalID` at `version`.
///
/// An item already done at the same version stays done; a new version makes it pending again
/// with a fresh attempt count, so a session that changed upstream is fetched again.
public struct QueueRequest: Sendable, Equatable {
    public var kind: String
    public var externalID: String
    public var version: String?
    /// After this instant the item is given up (e.g. an export past upstream retention).
    public var expiresAt: Timestamp?

    public init(kind: String, externalID: String, version: String? = nil, expiresAt: Timestamp? = nil) {
        self.kind = kind
        self.externalID = externalID
        self.version = version
        self.expiresAt = expiresAt
    }
}
