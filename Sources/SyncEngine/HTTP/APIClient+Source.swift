import Logging

extension APIClient {
    /// The client of one configured source: its base URL, limits, retries and rate limits, the
    /// provider's credentials and error envelope. Passes and probes build theirs here alone.
    init(
        for source: SourceConfiguration, provider: any Provider, transport: HTTPTransport, sleeper: Sleeper,
        retry: RetryPolicy,
        logger: Logger, metrics: SourceMetrics = .none
    ) {
        self.init(
            transport: transport, baseURL: source.baseURL, credentials: provider.credentials, timeout: source.timeout,
            maxResponseBytes: source.maxResponseBytes, retry: retry, rateLimits: source.rateLimits,
            maxConcurrentRequests: source.maxConcurrentRequests, sleeper: sleeper, logger: logger, metrics: metrics,
            describeError: { [provider] status, body in provider.describeError(status: status, body: body) }
        )
    }
}
