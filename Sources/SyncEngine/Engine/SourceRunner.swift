import Archive
import Foundation
import Logging
import SessionSyncSupport

/// Runs passes of one source: opens the run in the ledger, keeps its heartbeat, hands the
/// provider a ``SyncPass``, and closes the run as succeeded, failed or interrupted.
///
/// One runner lives as long as its source's config, so the rate limiter it holds spans passes.
public struct SourceRunner: Sendable {
    public let source: SourceConfiguration
    public let provider: any Provider
    public let client: APIClient
    let descriptor: ProviderDescriptor
    let archive: any ArchiveBackend
    let logger: Logger
    let heartbeatInterval: Duration
    /// Every text of this runner that leaves the process (the run's error and warnings, queue
    /// errors, the outcome `sync` prints, the probe's answer) passes through it. A source's
    /// requests carry only its own secrets, so those are the ones masked here; the log handler
    /// masks the whole config's.
    let redactor: SecretRedactor
    let metrics: SourceMetrics

    public init(
        source: SourceConfiguration, descriptor: ProviderDescriptor, archive: any ArchiveBackend,
        transport: HTTPTransport,
        logger: Logger, sleeper: Sleeper = .real, retry: RetryPolicy? = nil, heartbeatInterval: Duration = .seconds(5),
        metrics: EngineMetrics? = nil
    ) {
        var sourceLogger = logger
        sourceLogger[metadataKey: "source"] = "\(source.name)"
        let provider = descriptor.provider(for: source)
        self.source = source
        self.provider = provider
        self.descriptor = descriptor
        self.archive = archive
        self.logger = sourceLogger
        self.heartbeatInterval = LeaseTiming(period: archive.sourceLeasePeriod).heartbeat(heartbeatInterval)
        self.redactor = SecretRedactor(secrets: source.secrets)
        let metrics = metrics?.source(source) ?? .none
        self.metrics = metrics
        self.client = APIClient(
            for: source, provider: provider, transport: transport, sleeper: sleeper,
            retry: retry ?? RetryPolicy(retries: source.retries),
            logger: sourceLogger, metrics: metrics
        )
    }

    /// One pass. Never throws: every ending is recorded in the ledger, counted in the metrics
    /// and returned.
    public func runPass() async -> PassOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await pass()
        metrics.passFinished(status: outcome.result.name, duration: clock.now - started)
        return outcome
    }

    private func pass() async -> PassOutcome {
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        let sourceID: Int64
        let runID: Int64
        let startedAt: Timestamp
        do {
            let opened = try await archive.openRun(
                source: source.name, provider: source.provider, pid: pid, isAlive: ProcessLiveness.isAlive)
            sourceID = opened.sourceID
            startedAt = opened.startedAt
            guard let run = opened.runID else {
                let reason = "another sessionsync process is running this source"
                // Routine when several instances share the archive: they ask in turn.
                let level: Logger.Level = archive.sourceLeasePeriod == nil ? .notice : .debug
                logger.log(level: level, "pass skipped", metadata: ["reason": "\(reason)"])
                return PassOutcome(
                    source: source.name, runID: nil, result: .skipped(reason), stats: WriteStats(),
                    progress: RunProgress())
            }
            runID = run
        } catch {
            let message = redactor.redact("could not start a run in the archive: \(error)")
            logger.error("pass not started", metadata: ["error": "\(message)"])
            return PassOutcome(
                source: source.name, runID: nil, result: .failed(message), stats: WriteStats(), progress: RunProgress())
        }

        var passLogger = logger
        passLogger[metadataKey: "run"] = "\(runID)"
        let progress = RunProgressTracker(redactor: redactor)
        let pass = SyncPass(
            runID: runID, logger: passLogger,
            http: SourceHTTP(source: source, client: client, countRequest: { [progress] in progress.countRequest() }),
            archive: PassArchive(
                source: source, sourceID: sourceID, startedAt: startedAt,
                initialWindow: descriptor.defaults.initialWindow,
                database: archive, progress: progress, redactor: redactor, metrics: metrics
            ),
            progress: progress
        )
        passLogger.info("pass started")

        let heartbeat = Task { [archive, heartbeatInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeatInterval)
                if Task.isCancelled { break }
                let snapshot = await progress.progress
                try? await archive.heartbeat(runID: runID, progress: snapshot, now: .now())
            }
        }
        let result: PassOutcome.Result
        do {
            try await provider.sync(pass)
            try Task.checkCancellation()
            result = .succeeded
        } catch let error as SyncError where error.isRateLimited {
            await progress.warn("\(error)")
            result = .succeeded
        } catch is CancellationError {
            result = .interrupted
        } catch {
            result = Task.isCancelled ? .interrupted : .failed(redactor.redact("\(source.provider): \(error)"))
        }
        if result != .interrupted {
            do {
                _ = try await RetentionPass.applyIfDue(
                    source: source, sourceID: sourceID, archive: archive, logger: passLogger)
            } catch is CancellationError {
                // Asked to stop between two chunks: the next pass applies it again.
            } catch {
                await progress.warn("retention could not be applied: \(error); the next pass tries again")
            }
        }
        heartbeat.cancel()

        let finalProgress = await progress.progress
        let stats = await progress.stats
        let (status, message): (RunStatus, String?) =
            switch result {
            case .succeeded: (.succeeded, nil)
            case .failed(let message): (.failed, message)
            case .interrupted:
                (
                    .interrupted,
                    "interrupted: the process was asked to stop; the next pass continues from the last committed page"
                )
            case .skipped: preconditionFailure("a skipped pass returns before it opens a run")
            }
        do {
            try await archive.finishRun(
                runID: runID, status: status, progress: finalProgress, error: message, now: .now())
        } catch {
            passLogger.error("could not record the end of the run", metadata: ["error": "\(error)"])
        }
        var metadata: Logger.Metadata = [
            "status": "\(status.rawValue)", "requests": "\(finalProgress.requests)",
            "sessions.inserted": "\(stats.sessionsInserted)", "sessions.changed": "\(stats.sessionsChanged)",
            "sessions.unchanged": "\(stats.sessionsUnchanged)", "rows.written": "\(stats.rowsWritten)",
        ]
        if stats.sessionsTombstoned > 0 {
            // Erased or expired sessions the provider sent again, and that were not archived.
            metadata["sessions.tombstoned"] = "\(stats.sessionsTombstoned)"
        }
        switch result {
        case .failed(let message):
            passLogger.error("pass failed", metadata: metadata.merging(["error": "\(message)"]) { $1 })
        case .interrupted:
            passLogger.notice("pass interrupted", metadata: metadata)
        default:
            passLogger.info("pass finished", metadata: metadata)
        }
        return PassOutcome(source: source.name, runID: runID, result: result, stats: stats, progress: finalProgress)
    }
}
