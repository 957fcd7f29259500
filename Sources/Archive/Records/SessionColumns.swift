/// The optional columns of `sessions` a ``SessionRecord`` may set.
///
/// A record updates only the columns it carries, so a listing and a details call can each fill
/// their own columns of one row without erasing the other's.
public struct SessionColumns: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public static let status = SessionColumns(rawValue: 1 << 0)
    public static let title = SessionColumns(rawValue: 1 << 1)
    public static let userID = SessionColumns(rawValue: 1 << 2)
    public static let startedAt = SessionColumns(rawValue: 1 << 3)
    public static let endedAt = SessionColumns(rawValue: 1 << 4)
    public static let durationSeconds = SessionColumns(rawValue: 1 << 5)
    public static let country = SessionColumns(rawValue: 1 << 6)
    public static let deviceType = SessionColumns(rawValue: 1 << 7)
    public static let os = SessionColumns(rawValue: 1 << 8)
    public static let browser = SessionColumns(rawValue: 1 << 9)
    public static let browserVersion = SessionColumns(rawValue: 1 << 10)
    public static let url = SessionColumns(rawValue: 1 << 11)
    public static let botScore = SessionColumns(rawValue: 1 << 12)
    public static let metadata = SessionColumns(rawValue: 1 << 13)
    public static let raw = SessionColumns(rawValue: 1 << 14)
    public static let detailRaw = SessionColumns(rawValue: 1 << 15)

    /// Column names in binding order; index i is the column of bit i.
    public static let names = [
        "status", "title", "user_id", "started_at", "ended_at", "duration_seconds", "country",
        "device_type", "os", "browser", "browser_version", "url", "bot_score", "metadata", "raw", "detail_raw",
    ]
}
