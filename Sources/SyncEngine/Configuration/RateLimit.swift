import SessionSyncSupport

/// At most `requests` requests in any window of length `per`.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public var requests: Int
    public var per: Duration

    public init(requests: Int, per: Duration) {
        self.requests = requests
        self.per = per
    }

    public var description: String {
        "\(requests) requests per \(DurationText.format(per))"
    }
}
