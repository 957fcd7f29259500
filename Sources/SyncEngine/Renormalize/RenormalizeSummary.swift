import SessionSyncSupport

/// What `renormalize` did for one source.
public struct RenormalizeSummary: Sendable {
    public let source: String
    public var sessionsRead = 0
    public var sessionsChanged = 0
    public var rowsWritten = 0
    /// Sessions whose stored payload no longer maps (left as they were), with why: the first few.
    public var failures: [(externalID: String, reason: String)] = []
    public var failureCount = 0
    /// Values still stored as NULL because they are not what the mapping expects, by field.
    public var drift: [SchemaDrift] = []
    public var quarantineRetried = 0
    /// Quarantined records that map now and were archived (or were already archived by a later pass).
    public var quarantineArchived = 0
    public var quarantineStillUnmappable = 0
    /// Quarantined records left alone: child rows, and records sharing their id with another.
    public var quarantineNotRetried = 0

    /// How many failures are kept to be shown.
    static let failuresShown = 5

    public init(source: String) {
        self.source = source
    }

    mutating func add(_ drift: [SchemaDrift]) {
        for item in drift {
            if let index = self.drift.firstIndex(where: {
                $0.endpoint == item.endpoint && $0.path == item.path && $0.expected == item.expected
            }) {
                self.drift[index].count += item.count
                self.drift[index].found = item.found
            } else {
                self.drift.append(item)
            }
        }
    }
}
