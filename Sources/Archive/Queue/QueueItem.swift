import SessionSyncSupport

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
    /// False for work a pass does right away without a queue row (``init(requested:now:)``): if
    /// it fails, its request goes into the queue with the failure.
    public var isQueued = true

    public init(
        kind: String, externalID: String, version: String?, doneVersion: String?, attempts: Int, queuedAt: String
    ) {
        self.kind = kind
        self.externalID = externalID
        self.version = version
        self.doneVersion = doneVersion
        self.attempts = attempts
        self.queuedAt = queuedAt
    }
}

extension QueueItem {
    /// The item `request` makes, before its first attempt: for work a pass does right away,
    /// through the same per-item path as work read from the queue.
    public init(requested request: QueueRequest, now: Timestamp = .now()) {
        self.init(
            kind: request.kind, externalID: request.externalID, version: request.version, doneVersion: nil, attempts: 0,
            queuedAt: now.iso8601
        )
        isQueued = false
    }
}
