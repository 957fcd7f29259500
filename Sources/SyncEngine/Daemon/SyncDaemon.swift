import Archive
import Foundation
import Logging
import ServiceLifecycle
import SessionSyncSupport
import UnixSignals

/// The long-running service behind `sessionsync run`: one loop per enabled source, a SIGHUP
/// config reload, and systemd's notify protocol. Runs until its task is cancelled (which
/// ServiceLifecycle does on SIGTERM/SIGINT); every pass in flight then ends as `interrupted`.
public final class SyncDaemon: Service {
    public struct Options: Sendable {
        public var sleeper: Sleeper = .real
        public var heartbeatInterval: Duration = .seconds(5)
        public var retry: RetryPolicy?
        /// Re-reads the config on SIGHUP (nil: reload is not possible, e.g. the demo).
        public var reload: (@Sendable () throws -> Configuration)?
        /// Called after every pass (the demo prints progress with it).
        public var onOutcome: (@Sendable (PassOutcome) async -> Void)?
        /// Where the passes record their metrics (nil: nowhere).
        public var metrics: EngineMetrics?
        /// Takes a reloaded, valid config just before it replaces the old one (the metrics
        /// endpoint moves its listener); an error refuses the reload and the old config stays.
        public var applyReload: (@Sendable (Configuration) async throws -> Void)?

        public init() {}
    }

    private let initialConfiguration: Configuration
    private let registry: ProviderRegistry
    private let archive: any ArchiveBackend
    private let transport: HTTPTransport
    private let logger: Logger
    private let notifier: SystemdNotifier
    private let options: Options

    public init(
        configuration: Configuration, registry: ProviderRegistry, archive: any ArchiveBackend, transport: HTTPTransport,
        logger: Logger, notifier: SystemdNotifier = SystemdNotifier(), options: Options = Options()
    ) {
        self.initialConfiguration = configuration
        self.registry = registry
        self.archive = archive
        self.transport = transport
        self.logger = logger
        self.notifier = notifier
        self.options = options
    }

    private enum Event: Sendable {
        case reload
    }

    /// Runs until cancelled or until ServiceLifecycle begins a graceful shutdown (SIGTERM/SIGINT).
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await self.runUntilCancelled()
        }
    }

    private func runUntilCancelled() async throws {
        let interrupted = try await archive.interruptAbandonedRuns(
            now: .now(), isAlive: ProcessLiveness.isAlive, ownPID: Int(getpid()))
        if interrupted > 0 {
            logger.notice("marked runs of a previous process as interrupted", metadata: ["runs": "\(interrupted)"])
        }
        try await ensureSources(initialConfiguration)
        let (events, eventSink) = AsyncStream<Event>.makeStream()
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let tracker = StatusTracker()

        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                for await _ in hangups { eventSink.yield(.reload) }
            }
            if let interval = notifier.watchdogInterval {
                group.addTask { [notifier, archive] in
                    while !Task.isCancelled {
                        // A round trip through the archive's writer thread first: a writer stuck
                        // for good (not a transaction that takes a while) stops the pings, and
                        // systemd restarts the daemon.
                        try? await archive.ping()
                        notifier.notify("WATCHDOG=1")
                        try? await Task.sleep(for: interval)
                    }
                }
            }
            var configuration = initialConfiguration
            var loops = startLoops(configuration, predecessors: [:], group: &group, tracker: tracker)
            notifier.notify("READY=1\nSTATUS=\(tracker.summary())")
            logger.info(
                "daemon ready",
                metadata: [
                    "sources": "\(loops.count)", "config": "\(configuration.file)", "database": "\(archive.location)",
                ])

            for await event in events {
                switch event {
                case .reload:
                    notifier.notify("RELOADING=1")
                    if let next = reloadConfiguration(current: configuration) {
                        do {
                            try await ensureSources(next)
                            try await options.applyReload?(next)
                            for loop in loops.values { await loop.control.stop() }
                            configuration = next
                            loops = startLoops(
                                configuration, predecessors: loops.mapValues(\.control), group: &group, tracker: tracker
                            )
                            logger.notice("config reloaded", metadata: ["sources": "\(loops.count)"])
                        } catch {
                            logger.error(
                                "config reload failed; keeping the old config", metadata: ["error": "\(error)"])
                        }
                    }
                    notifier.notify("READY=1\nSTATUS=\(tracker.summary())")
                }
            }
            notifier.notify("STOPPING=1")
            logger.notice("stopping: passes in flight are interrupted and recorded")
            group.cancelAll()
        }
    }

    private func reloadConfiguration(current: Configuration) -> Configuration? {
        guard let reload = options.reload else {
            logger.warning("SIGHUP ignored: this daemon was not started from a config file")
            return nil
        }
        do {
            let next = try reload()
            if next.database != current.database {
                logger.error(
                    "config reload refused; keeping the old config",
                    metadata: [
                        "error":
                            "\"database\" changed from \(current.database) to \(next.database); restart the service to switch archives"
                    ]
                )
                return nil
            }
            for warning in next.warnings { logger.warning("config warning", metadata: ["problem": "\(warning)"]) }
            return next
        } catch let error as ConfigError {
            logger.error(
                "config reload refused; keeping the old config",
                metadata: [
                    "error": "\(error.problems.map(\.description).joined(separator: "; "))", "config": "\(error.file)",
                ]
            )
            return nil
        } catch {
            logger.error("config reload refused; keeping the old config", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func ensureSources(_ configuration: Configuration) async throws {
        let sources = configuration.sources.map { ($0.name, $0.provider) }
        try await archive.ensureSources(sources, now: .now())
    }

    private func startLoops(
        _ configuration: Configuration, predecessors: [String: LoopControl],
        group: inout ThrowingDiscardingTaskGroup<any Error>,
        tracker: StatusTracker
    ) -> [String: SourceLoop] {
        var loops: [String: SourceLoop] = [:]
        tracker.schedule(configuration.enabledSources.map(\.name))
        for source in configuration.enabledSources {
            guard let descriptor = registry[source.provider] else { continue }
            let runner = SourceRunner(
                source: source, descriptor: descriptor, archive: archive, transport: transport, logger: logger,
                sleeper: options.sleeper, retry: options.retry, heartbeatInterval: options.heartbeatInterval,
                metrics: options.metrics
            )
            let loop = SourceLoop(runner: runner, archive: archive, sleeper: options.sleeper, logger: logger) {
                [notifier, options] outcome in
                tracker.record(outcome)
                notifier.notify("STATUS=\(tracker.summary())")
                await options.onOutcome?(outcome)
            }
            let predecessor = predecessors[source.name]
            group.addTask { await loop.run(after: predecessor) }
            loops[source.name] = loop
        }
        return loops
    }
}
