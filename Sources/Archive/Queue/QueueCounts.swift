/// How many queue items of one kind are in each state.
public struct QueueCounts: Sendable, Equatable {
    public var kind: String
    public var pending = 0
    public var done = 0
    public var gaveUp = 0
    /// The last error of a given-up item, for `status`.
    public var lastGiveUpError: String?
    /// The last error of a pending item (an export not ready yet, a 404 being retried).
    public var lastPendingError: String?

    public init(kind: String) {
        self.kind = kind
    }
}
