import SessionSyncSupport

/// One configured source, with every default filled in and its secrets resolved.
public struct SourceConfiguration: Sendable {
    public var name: String
    public var provider: String
    public var enabled: Bool
    public var schedule: Schedule
    public var baseURL: BaseURL
    /// Where the first pass starts (nil: the provider's initial window before now).
    public var since: Timestamp?
    /// Every limit holds at once (RealtimeKit has one per 10 s and one per 5 min).
    public var rateLimits: [RateLimit]
    public var maxConcurrentRequests: Int
    public var timeout: Duration
    public var lookback: Duration
    public var allowInsecureHTTP: Bool
    public var maxResponseBytes: Int
    /// How many times a request is retried after a connection error, 429 or 5xx.
    public var retries: Int
    public var settings: any ProviderSettings
    /// The secrets its settings read (what its requests may carry, and its texts must not).
    public var secrets: [Secret]
    /// Sessions whose last activity is older than this are deleted (and tombstoned) at the end of
    /// a pass, at most once a day; nil keeps them for ever.
    public var retention: Duration?

    /// Every value as the config gave it or ``ProviderDefaults`` filled it in (the one place
    /// defaults live).
    public init(
        name: String, provider: String, enabled: Bool, schedule: Schedule, baseURL: BaseURL, since: Timestamp?,
        rateLimits: [RateLimit], maxConcurrentRequests: Int, timeout: Duration, lookback: Duration,
        allowInsecureHTTP: Bool,
        maxResponseBytes: Int, retries: Int, settings: any ProviderSettings, secrets: [Secret],
        retention: Duration? = nil
    ) {
        self.name = name
        self.provider = provider
        self.enabled = enabled
        self.schedule = schedule
        self.baseURL = baseURL
        self.since = since
        self.rateLimits = rateLimits
        self.maxConcurrentRequests = maxConcurrentRequests
        self.timeout = timeout
        self.lookback = lookback
        self.allowInsecureHTTP = allowInsecureHTTP
        self.maxResponseBytes = maxResponseBytes
        self.retries = retries
        self.settings = settings
        self.secrets = secrets
        self.retention = retention
    }
}
