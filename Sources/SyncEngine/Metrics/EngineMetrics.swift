import Archive
import CoreMetrics
import Prometheus
import SessionSyncSupport
import Synchronization

/// The process's metrics: recorded through swift-metrics by each source's passes
/// (``SourceMetrics``), kept in a Prometheus registry, and written out in the text exposition
/// format 0.0.4 by ``scrape(archive:sources:since:now:)``, which first brings the gauges read from
/// the archive (the run ledger, the queue, the files) and from `/proc` up to date.
///
/// One instance lives as long as the process, across reloads, so counters never restart while
/// it runs.
public final class EngineMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    let factory: any MetricsFactory
    /// The CPU seconds already counted: `process_cpu_seconds_total` grows by the difference.
    private let countedCPUSeconds = Mutex<Double>(0)
    /// The ledger gauges each source's last scrape wrote (name and labels), to drop them when the
    /// source is no longer watched.
    private let ledgerGauges = Mutex<[String: [(MetricName, [(String, String)])]]>([:])

    public init() {
        factory = PrometheusExportFactory(registry: registry)
    }

    /// Whether passes record (see ``source(_:)``); the counters keep what they have either way.
    private let recording = Mutex(true)

    /// Turns recording of passes started from now on off or on: `sessionsync run` records only
    /// while its config asks to serve the metrics, so that a daemon without the `metrics` key
    /// pays nothing for them.
    func record(_ on: Bool) {
        recording.withLock { $0 = on }
    }

    /// The recorder for one source's passes (``SourceMetrics/none`` while recording is off).
    public func source(_ source: SourceConfiguration) -> SourceMetrics {
        guard recording.withLock({ $0 }) else { return .none }
        return SourceMetrics(factory: factory, source: source.name, provider: source.provider)
    }

    /// Counts a WAL checkpoint SQLite refused (the archive's `onCheckpointFailure`).
    public func checkpointFailed() {
        Counter(label: MetricName.checkpointFailures.rawValue, factory: factory).increment()
    }

    /// Each source's health, read from the run ledger (see ``SourceHealth``); `since` is when the
    /// daemon started watching.
    public func health(
        archive: any ArchiveBackend, sources: [SourceConfiguration], since: Timestamp, now: Timestamp = .now()
    ) async throws
        -> [SourceHealth]
    {
        try await health(archive: archive, watching: sources.map { WatchedSource($0, since: since) }, now: now)
    }

    /// Each source's health, each judged from when it has been watched (the daemon's start, or
    /// the reload that added it).
    public func health(archive: any ArchiveBackend, watching sources: [WatchedSource], now: Timestamp = .now())
        async throws -> [SourceHealth]
    {
        try await readings(archive: archive, sources: sources, queue: false).map { reading in
            SourceHealth.judge(
                reading.source, lastSuccess: reading.lastSuccess, lastRun: reading.lastRun, since: reading.since,
                now: now)
        }
    }

    /// The exposition, its gauges brought up to date. An archive that cannot be read leaves its
    /// gauges as they were (and the counters, kept in memory, are exact anyway).
    public func scrape(
        archive: any ArchiveBackend, sources: [SourceConfiguration], since: Timestamp, now: Timestamp = .now()
    ) async -> [UInt8] {
        await scrape(archive: archive, watching: sources.map { WatchedSource($0, since: since) }, now: now)
    }

    /// The exposition, as ``scrape(archive:sources:since:now:)``, for sources watched since
    /// different times. The ledger gauges of a source no longer watched (a reload removed or
    /// disabled it) are dropped, so that no alert fires on a frozen value; its counters stay.
    public func scrape(archive: any ArchiveBackend, watching sources: [WatchedSource], now: Timestamp = .now()) async
        -> [UInt8]
    {
        if let readings = try? await readings(archive: archive, sources: sources) {
            dropLedgerGauges(keeping: Set(readings.map(\.source.name)))
            for reading in readings {
                update(reading, now: now)
            }
        }
        if let vitals = try? await archive.vitals() {
            gauge(.archiveBytes, [("file", "db")], Double(vitals.databaseBytes))
            gauge(.archiveBytes, [("file", "wal")], Double(vitals.walBytes))
        }
        updateProcess()
        // Make sure the family exists before the first failure, so that alerts can use it.
        Counter(label: MetricName.checkpointFailures.rawValue, factory: factory).increment(by: 0)
        return registry.emitToBuffer()
    }

    private struct Reading: Sendable {
        let source: SourceConfiguration
        let since: Timestamp
        let lastRun: RunRecord?
        let lastSuccess: RunRecord?
        let queue: [QueueCounts]
    }

    /// What the ledger says of each source, read on the archive's writer in one go. `queue`: also
    /// the fetch queue's counts, which cost a scan of the source's queue rows (about 1 µs each)
    /// and which only the exposition shows.
    private func readings(archive: any ArchiveBackend, sources: [WatchedSource], queue: Bool = true) async throws
        -> [Reading]
    {
        let ledgers = try await archive.ledger(sources: sources.map(\.source.name), queueCounts: queue)
        return sources.map { watched in
            let ledger = ledgers[watched.source.name]
            return Reading(
                source: watched.source, since: watched.since, lastRun: ledger?.lastRun,
                lastSuccess: ledger?.lastSuccess, queue: ledger?.queue ?? [])
        }
    }

    private func update(_ reading: Reading, now: Timestamp) {
        let labels = [("source", reading.source.name), ("provider", reading.source.provider)]
        var written: [(MetricName, [(String, String)])] = []
        defer { ledgerGauges.withLock { $0[reading.source.name] = written } }
        if let finished = reading.lastSuccess?.finishedAt.flatMap(Timestamp.init(iso8601:)) {
            gauge(.lastSuccess, labels, Double(finished.millisecondsSinceEpoch) / 1000)
            written.append((.lastSuccess, labels))
        }
        if let finished = reading.lastRun?.finishedAt.flatMap(Timestamp.init(iso8601:)) {
            gauge(.lastPass, labels, Double(finished.millisecondsSinceEpoch) / 1000)
            written.append((.lastPass, labels))
        }
        for counts in reading.queue {
            for (state, value) in [("pending", counts.pending), ("done", counts.done), ("gave_up", counts.gaveUp)] {
                gauge(.queueItems, labels + [("kind", counts.kind), ("state", state)], Double(value))
                written.append((.queueItems, labels + [("kind", counts.kind), ("state", state)]))
            }
        }
        let health = SourceHealth.judge(
            reading.source, lastSuccess: reading.lastSuccess, lastRun: reading.lastRun, since: reading.since, now: now)
        gauge(.sourceHealthy, labels, health.healthy ? 1 : 0)
        written.append((.sourceHealthy, labels))
    }

    /// Unregisters the ledger gauges of every source not in `watched`.
    private func dropLedgerGauges(keeping watched: Set<String>) {
        let gone = ledgerGauges.withLock { gauges in
            let gone = gauges.filter { !watched.contains($0.key) }
            for name in gone.keys { gauges[name] = nil }
            return gone.values.flatMap { $0 }
        }
        for (name, labels) in gone {
            Gauge(label: name.rawValue, dimensions: labels, factory: factory).destroy()
        }
    }

    private func updateProcess() {
        let process = ProcessVitals.read()
        if let value = process.residentBytes { gauge(.residentMemory, [], value) }
        if let value = process.openFileDescriptors { gauge(.openFileDescriptors, [], value) }
        if let value = process.maxFileDescriptors { gauge(.maxFileDescriptors, [], value) }
        if let value = process.startTimeSeconds { gauge(.startTime, [], value) }
        if let cpu = process.cpuSeconds {
            let delta = countedCPUSeconds.withLock { counted in
                defer { counted = max(counted, cpu) }
                return max(0, cpu - counted)
            }
            FloatingPointCounter(label: MetricName.cpuSeconds.rawValue, factory: factory).increment(by: delta)
        }
    }

    private func gauge(_ name: MetricName, _ labels: [(String, String)], _ value: Double) {
        Gauge(label: name.rawValue, dimensions: labels, factory: factory).record(value)
    }
}

/// A source the daemon watches, and since when: its health allows three schedule intervals from
/// then before a first successful pass is due.
public struct WatchedSource: Sendable {
    public let source: SourceConfiguration
    public let since: Timestamp

    public init(_ source: SourceConfiguration, since: Timestamp) {
        self.source = source
        self.since = since
    }
}
