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
    /// The largest answer read; a bigger one fails its request.
    public var maxResponseBytes: Int
    /// How many times a request is retried after a connection error, 429 or 5xx.
    public var retries: Int

    public init(
        baseURL: String?, schedule: Schedule, lookback: Duration, initialWindow: Duration,
        rateLimits: [RateLimit], maxConcurrentRequests: Int = 4, timeout: Duration = .seconds(30),
        maxResponseBytes: Int = 32 << 20, retries: Int = 4
    ) {
        self.baseURL = baseURL
        self.schedule = schedule
        self.lookback = lookback
        self.initialWindow = initialWindow
        self.rateLimits = rateLimits
        self.maxConcurrentRequests = maxConcurrentRequests
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.retries = retries
    }
}
