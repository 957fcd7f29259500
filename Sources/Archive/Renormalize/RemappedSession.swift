import SessionSyncSupport

/// A session mapped again from its stored payloads: the columns and child sets the payloads
/// decide, what drifted while mapping them, and why a payload no longer maps.
public struct RemappedSession: Sendable {
    /// The columns and child sets to store; nil when nothing could be derived.
    public var record: SessionRecord?
    /// Values the mappers stored as NULL (reported, not counted again in `schema_drift`).
    public var drift: [SchemaDrift]
    /// Why a stored payload no longer maps (its id or a required time unusable): its columns are
    /// left as they are.
    public var failure: String?

    public init(record: SessionRecord?, drift: [SchemaDrift] = [], failure: String? = nil) {
        self.record = record
        self.drift = drift
        self.failure = failure
    }
}
