/// A source held by this instance (`source_leases`): what its writes carry as a fencing token.
public struct SourceLease: Sendable, Equatable {
    public let sourceID: Int64
    public let holder: String
    /// Increments whenever the source passes to another holder: a write checks it is unchanged.
    public let epoch: Int64
    /// When the lease ends unless renewed, as ISO-8601 text of the server's clock.
    public let expiresAt: String

    public init(sourceID: Int64, holder: String, epoch: Int64, expiresAt: String) {
        self.sourceID = sourceID
        self.holder = holder
        self.epoch = epoch
        self.expiresAt = expiresAt
    }
}
