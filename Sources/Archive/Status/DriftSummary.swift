import SessionSyncSupport

/// A source's schema drift and quarantined records, for `status`.
public struct DriftSummary: Sendable, Equatable {
    /// Each drifted field, most recently seen first.
    public var fields: [SchemaDrift] = []
    public var lastDriftAt: String?
    public var quarantined = 0
    public var lastQuarantinedAt: String?
    public var lastQuarantineReason: String?

    public init() {}
}
