import SessionSyncSupport

/// What a source of a provider uses when its config does not say.
public struct ProviderDefaults: Sendable {
    /// The API's public base URL, when it has one (nil: `baseURL` is required).
    public var baseURL: String?
    public var schedule: Schedule
    /// How far behind its cursor a pass re-reads, for late updates.
    public var lookback: Duration
    /// Where the first pass starts when the source sets no `since`: this long before now.
    public var initialWindow: Duration
    public var rateLimits: [RateLimit]
    public var maxConcurrentRequests: Int
    public var timeout: Duration

    public init(
        baseURL: String?, schedule: Schedule, lookback: Duration, initialWindow: Duration,
        rateLimits: [RateLimit], maxConcurrentRequests: Int = 4, timeout: Duration = .seconds(30)
    ) {
        self.baseURL = baseURL
        self.schedule = schedule
        self.lookback = lookback
        self.initialWindow = initialWindow
        self.rateLimits = rateLimits
        self.maxConcurrentRequests = maxConcurrentRequests
        self.timeout = timeout
    }
}
