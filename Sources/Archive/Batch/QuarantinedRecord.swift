import SessionSyncSupport

/// A record of an answer that could not be archived because a field it cannot do without was
/// unusable; kept verbatim in `quarantine` while the rest of its page is archived.
public struct QuarantinedRecord: Sendable, Equatable {
    public var endpoint: String
    /// The provider's id, when it could be read.
    public var externalID: String?
    /// What was wrong, with the JSON path (`data.sessions[4].id: missing member "id"`).
    public var reason: String
    /// The record's JSON text, verbatim.
    public var raw: String

    public init(endpoint: String, externalID: String?, reason: String, raw: String) {
        self.endpoint = endpoint
        self.externalID = externalID
        self.reason = reason
        self.raw = raw
    }

    /// `quarantine.raw_hash`: a stable hash of ``raw`` as received, so that the same record seen
    /// again counts instead of repeating (whatever the archive makes of the text it stores).
    public var rawHash: String {
        var hasher = StableHasher()
        hasher.combine(raw)
        return hasher.hexDigest
    }
}
