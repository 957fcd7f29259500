import SessionSyncSupport

/// One page of a session's history (`page_history`); its position in the array is its `seq`.
public struct PageVisit: Sendable, Equatable {
    public var url: String?
    public var visitedAt: Timestamp?
    public var type: String?
    public var durationMilliseconds: Int64?

    public init(url: String?, visitedAt: Timestamp?, type: String?, durationMilliseconds: Int64?) {
        self.url = url
        self.visitedAt = visitedAt
        self.type = type
        self.durationMilliseconds = durationMilliseconds
    }
}
