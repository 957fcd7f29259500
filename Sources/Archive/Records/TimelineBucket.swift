import SessionSyncSupport

/// One bucket of a session's activity timeline (`timeline`).
public struct TimelineBucket: Sendable, Equatable {
    public var bucketAt: Timestamp
    public var eventCount: Int64?
    public var dominantEventType: String?
    public var activityLevel: Double?

    public init(bucketAt: Timestamp, eventCount: Int64?, dominantEventType: String?, activityLevel: Double?) {
        self.bucketAt = bucketAt
        self.eventCount = eventCount
        self.dominantEventType = dominantEventType
        self.activityLevel = activityLevel
    }
}
