import Archive
import CoreMetrics

/// What one source's passes record: every series it touches carries its `source` and `provider`
/// labels. Recording goes through swift-metrics, so a recorder built on
/// `NOOPMetricsHandler` (``none``) costs next to nothing where nobody scrapes.
public struct SourceMetrics: Sendable {
    let factory: any MetricsFactory
    let labels: [(String, String)]

    init(factory: any MetricsFactory, source: String, provider: String) {
        self.factory = factory
        self.labels = [("source", source), ("provider", provider)]
    }

    /// Records nothing: for probes, tests and one-off commands.
    public static let none = SourceMetrics(factory: NOOPMetricsHandler.instance, source: "", provider: "")

    /// One request that reached the network: `status` is its HTTP status, nil when no answer came.
    func request(endpoint: String, status: Int?) {
        Counter(
            label: MetricName.httpRequests.rawValue,
            dimensions: labels + [("endpoint", endpoint), ("code", status.map(String.init) ?? "error")],
            factory: factory
        )
        .increment()
    }

    func retry(endpoint: String) {
        Counter(label: MetricName.httpRetries.rawValue, dimensions: labels + [("endpoint", endpoint)], factory: factory)
            .increment()
    }

    /// Time spent before a request for the rate limits, or on a 429's `Retry-After`. Less than a
    /// millisecond is the limiter's own bookkeeping, not a wait.
    func rateLimitWait(_ duration: Duration) {
        guard duration >= .milliseconds(1) else { return }
        FloatingPointCounter(label: MetricName.rateLimitWait.rawValue, dimensions: labels, factory: factory).increment(
            by: duration.seconds)
    }

    /// One commit of the pass: what it wrote, and how long it held the write lock.
    func committed(_ stats: WriteStats, drift: Int, quarantined: Int) {
        if stats.sessionsInserted > 0 {
            Counter(
                label: MetricName.sessionsWritten.rawValue, dimensions: labels + [("change", "inserted")],
                factory: factory
            )
            .increment(by: Int64(stats.sessionsInserted))
        }
        if stats.sessionsChanged > 0 {
            Counter(
                label: MetricName.sessionsWritten.rawValue, dimensions: labels + [("change", "changed")],
                factory: factory
            )
            .increment(by: Int64(stats.sessionsChanged))
        }
        if stats.rowsWritten > 0 {
            Counter(label: MetricName.rowsWritten.rawValue, dimensions: labels, factory: factory).increment(
                by: Int64(stats.rowsWritten))
        }
        if drift > 0 {
            Counter(label: MetricName.schemaDrift.rawValue, dimensions: labels, factory: factory).increment(
                by: Int64(drift))
        }
        if quarantined > 0 {
            Counter(label: MetricName.quarantined.rawValue, dimensions: labels, factory: factory).increment(
                by: Int64(quarantined))
        }
        Timer(label: MetricName.commitDuration.rawValue, dimensions: labels, factory: factory)
            .recordNanoseconds(Int64(stats.maxCommitMilliseconds * 1_000_000))
    }

    /// A pass ended (`status`: succeeded, failed, interrupted, skipped) after `duration`.
    func passFinished(status: String, duration: Duration) {
        Counter(label: MetricName.passes.rawValue, dimensions: labels + [("status", status)], factory: factory)
            .increment()
        Timer(label: MetricName.passDuration.rawValue, dimensions: labels, factory: factory).recordNanoseconds(
            duration.nanoseconds)
    }
}

extension Duration {
    /// The duration in seconds, as a Double (for counters of seconds).
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
