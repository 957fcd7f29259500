/// A record kept in `quarantine`, read back to be mapped again.
public struct QuarantineEntry: Sendable {
    /// `quarantine.id`: an ``ArchiveBatch`` that archives the record releases it by this id.
    public let id: Int64
    public let endpoint: String
    public let externalID: String?
    public let raw: String

    public init(id: Int64, endpoint: String, externalID: String?, raw: String) {
        self.id = id
        self.endpoint = endpoint
        self.externalID = externalID
        self.raw = raw
    }
}
