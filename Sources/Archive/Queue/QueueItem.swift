/// One pending piece of per-session work from `fetch_queue`.
public struct QueueItem: Sendable, Equatable {
    public let kind: String
    public let externalID: String
    /// The version wanted.
    public let version: String?
    /// The version fetched last time, if any (for "fetch only what is new").
    public let doneVersion: String?
    public let attempts: Int
    public let queuedAt: String
}
