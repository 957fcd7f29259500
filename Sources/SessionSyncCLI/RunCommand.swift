import Archive
import ArgumentParser
import Logging
import PostgresArchive
import Providers
import ServiceLifecycle
import SessionSyncSupport
import SyncEngine
import UnixSignals

/// `sessionsync run`
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: migrate, then sync every enabled source on its schedule until stopped.",
        discussion: """
            Each source runs on its own schedule and never overlaps itself; a slow or failing source delays no \
            other. SIGTERM or SIGINT stops gracefully (passes in flight are rolled back to their last committed \
            page and recorded as interrupted; exit 0). SIGHUP re-reads the config: a valid one replaces the old \
            one after each source's pass in flight, an invalid one is logged and ignored. Under systemd \
            (Type=notify) it reports READY=1, STATUS= lines and watchdog pings. With the config's "metrics" key \
            it serves GET /metrics (Prometheus) and GET /healthz on that address; an address it cannot listen on \
            is a config problem. Exit status: 0 on a clean stop, 78 on a bad config, 1 on a fatal error.
            """
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let configuration = try CommandEnvironment.loadConfiguration(options, resolveSecrets: true)
        let logger = ProcessLogging.bootstrap(level: configuration.logLevel, redactor: configuration.redactor)
        for warning in configuration.warnings {
            logger.warning("config warning", metadata: ["problem": "\(warning)"])
        }
        // One recorder for the whole process; passes record into it while the config has a
        // `metrics` key (a reload may add or remove it), and its counters survive reloads.
        let metrics = EngineMetrics()
        switch configuration.databaseLocation {
        case .sqlite(let path):
            let environment = CommandEnvironment(configuration: configuration, databasePath: path)
            let archive = try environment.openArchiveDatabase(logger: logger, metrics: metrics)
            try await serve(configuration, archive: archive, metrics: metrics, logger: logger)
        case .postgres(let location):
            let report: (String) -> Void = { logger.critical("cannot use the archive", metadata: ["error": "\($0)"]) }
            try await PostgresArchiveOpening.with(
                location, password: configuration.databasePassword?.reveal(), leasePeriod: configuration.databaseLease,
                logger: logger, report: report
            ) { archive, _ in
                logger.notice(
                    "sharing the archive's sources with any other instance",
                    metadata: [
                        "instance": "\(archive.holder)", "lease": "\(DurationText.format(configuration.databaseLease))",
                    ])
                try await serve(configuration, archive: archive, metrics: metrics, logger: logger)
            }
        }
    }

    /// Runs the daemon on `archive` until SIGTERM or SIGINT (or a fatal error).
    private func serve(
        _ configuration: Configuration, archive: any ArchiveBackend, metrics: EngineMetrics, logger: Logger
    ) async throws {
        let endpoint = MetricsEndpoint(metrics: metrics, archive: archive)
        do {
            try await endpoint.apply(configuration)
        } catch {
            Terminal.error("sessionsync: invalid config \(configuration.file): \(error)")
            await endpoint.shutdown()
            throw ExitStatus.badConfig
        }
        if let url = endpoint.url {
            logger.notice(
                "serving metrics", metadata: ["metrics.url": "\(url)/metrics", "health.url": "\(url)/healthz"])
        }
        let transport = HTTPTransport()
        var daemonOptions = SyncDaemon.Options()
        daemonOptions.metrics = metrics
        daemonOptions.applyReload = { [logger] configuration in
            let before = endpoint.url
            try await endpoint.apply(configuration)
            let after = endpoint.url
            if after != before {
                if let after {
                    logger.notice(
                        "serving metrics",
                        metadata: ["metrics.url": "\(after)/metrics", "health.url": "\(after)/healthz"])
                } else {
                    logger.notice("metrics no longer served (no \"metrics\" key)")
                }
            }
        }
        let configPath = configuration.file
        // `--database` keeps naming the archive across reloads (the daemon never switches archives).
        let databaseOverride = options.database != nil ? configuration.databaseLocation : nil
        daemonOptions.reload = {
            let loader = ConfigurationLoader(registry: StandardProviders.registry)
            var configuration = try loader.load(file: configPath)
            if let databaseOverride { configuration.databaseLocation = databaseOverride }
            ProcessLogging.level.level = configuration.logLevel
            ProcessLogging.redaction.include(configuration.redactor)
            return configuration
        }
        let daemon = SyncDaemon(
            configuration: configuration, registry: StandardProviders.registry, archive: archive, transport: transport,
            logger: logger, options: daemonOptions
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: daemon, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            logger.critical("daemon stopped on a fatal error", metadata: ["error": "\(error)"])
            await endpoint.shutdown()
            await transport.shutdown()
            throw ExitStatus.failure
        }
        await endpoint.shutdown()
        await transport.shutdown()
        logger.notice("daemon stopped")
    }
}
