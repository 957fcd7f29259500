/// What a provider may read back about a session it archived.
public struct ArchivedSession: Sendable, Equatable {
    public let externalID: String
    public let status: String?
    public let startedAt: String?
    public let endedAt: String?
    public let updatedAt: String
    public let raw: String
}
