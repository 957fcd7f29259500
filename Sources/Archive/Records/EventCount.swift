/// How many events of one type a session had (`event_counts`).
public struct EventCount: Sendable, Equatable {
    /// `total`, `mouse`, `scroll`, `keyboard`, `touch` or `form`.
    public var eventType: String
    public var count: Int64

    public init(eventType: String, count: Int64) {
        self.eventType = eventType
        self.count = count
    }
}
