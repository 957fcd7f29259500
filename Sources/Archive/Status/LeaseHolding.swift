/// A source's lease in an archive several instances share, as `status` shows it.
public struct LeaseHolding: Sendable, Equatable {
    /// The instance: `host:pid:random`.
    public let holder: String
    public let epoch: Int64
    /// When it lapses unless renewed (ISO-8601 text); for a lease let go, when it was.
    public let expiresAt: String
    /// Whether it lapsed (or was let go): the next instance whose schedule comes takes the source.
    public let expired: Bool

    public init(holder: String, epoch: Int64, expiresAt: String, expired: Bool) {
        self.holder = holder
        self.epoch = epoch
        self.expiresAt = expiresAt
        self.expired = expired
    }
}
