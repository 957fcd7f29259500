import Archive
import ArgumentParser
import Foundation
import Logging
import PostgresArchive
import Providers
import SQLiteDB
import SyncEngine

/// What every command does first: read the config (reporting every problem, exit 78) and find
/// the archive.
struct CommandEnvironment {
    let configuration: Configuration
    let databasePath: String

    /// Loads the config for `command`, whose archive must be a SQLite file. Commands that send
    /// no request pass `resolveSecrets: false`, so `status` works for an operator who cannot
    /// read the service's credentials.
    static func load<Command: ParsableCommand>(
        _ options: GlobalOptions, resolveSecrets: Bool, for command: Command.Type
    ) throws -> CommandEnvironment {
        let configuration = try loadConfiguration(options, resolveSecrets: resolveSecrets)
        return CommandEnvironment(
            configuration: configuration,
            databasePath: try sqlitePath(of: configuration.databaseLocation, for: command))
    }

    /// Loads the config, with `--database` in place of its `database`; exit 78 on any problem.
    static func loadConfiguration(_ options: GlobalOptions, resolveSecrets: Bool) throws -> Configuration {
        let path = ConfigurationLoader.defaultPath(explicit: options.config)
        let loader = ConfigurationLoader(
            registry: StandardProviders.registry,
            environment: SecretEnvironment(resolve: resolveSecrets)
        )
        var configuration: Configuration
        do {
            configuration = try loader.load(file: path)
        } catch {
            Terminal.error("sessionsync: invalid config \(error.description)")
            throw ExitStatus.badConfig
        }
        if let database = options.database {
            configuration.databaseLocation = try databaseOption(database)
        }
        return configuration
    }

    /// Loads the config without its sources' secrets (a command that sends no request needs
    /// none), but with the PostgreSQL archive's password when it has one: the only secret such a
    /// command needs, so that an operator who cannot read the API keys can still run it.
    static func loadConfigurationForArchive(_ options: GlobalOptions) throws -> Configuration {
        let configuration = try loadConfiguration(options, resolveSecrets: false)
        if case .postgres = configuration.databaseLocation, configuration.databasePassword != nil {
            return try loadConfiguration(options, resolveSecrets: true)
        }
        return configuration
    }

    /// Runs `body` with the archive of `configuration` for an operator's small writes: the
    /// SQLite file, or the PostgreSQL database (migrated first; its failures told as one sentence).
    static func withOperatorRequests<T>(
        _ configuration: Configuration, isolation: isolated (any Actor)? = #isolation,
        _ body: (any OperatorRequests) async throws -> T
    ) async throws -> T {
        switch configuration.databaseLocation {
        case .sqlite(let path):
            return try await body(
                try CommandEnvironment(configuration: configuration, databasePath: path).openArchive())
        case .postgres(let location):
            return try await PostgresArchiveOpening.with(
                location, password: configuration.databasePassword?.reveal()
            ) { archive, _ in try await body(archive) }
        }
    }

    /// `--database TEXT`: a file path or a PostgreSQL URL, like the config's `database`.
    static func databaseOption(_ text: String) throws -> DatabaseLocation {
        switch DatabaseLocation.parse(text) {
        case .success(let location):
            return location
        case .failure(let error):
            Terminal.error("sessionsync: --database: the URL \(error)")
            throw ExitStatus.badConfig
        }
    }

    /// The SQLite file of `location`, or exit 78 when it is a PostgreSQL archive, for a command
    /// that works on SQLite only (`renormalize`): no command may take its URL for a file name.
    static func sqlitePath<Command: ParsableCommand>(of location: DatabaseLocation, for command: Command.Type) throws
        -> String
    {
        switch location {
        case .sqlite(let path):
            return path
        case .postgres(let postgres):
            let name = command.configuration.commandName ?? "this command"
            Terminal.error(
                "sessionsync: the archive \(postgres) is a PostgreSQL database, which `\(name)` does not support yet "
                    + "(every other command does, but `demo`); set \"database\" to a SQLite file's path, "
                    + "or pass --database FILE")
            throw ExitStatus.badConfig
        }
    }

    /// The sources named on the command line (all when none), or exit 78 naming the unknown ones.
    func selectSources(_ names: [String], enabledOnly: Bool) throws -> [SourceConfiguration] {
        try Self.selectSources(names, in: configuration, enabledOnly: enabledOnly)
    }

    /// ``selectSources(_:enabledOnly:)`` of `configuration`, for a command whose archive may
    /// not be a file.
    static func selectSources(_ names: [String], in configuration: Configuration, enabledOnly: Bool) throws
        -> [SourceConfiguration]
    {
        if names.isEmpty {
            return enabledOnly ? configuration.enabledSources : configuration.sources
        }
        var selected: [SourceConfiguration] = []
        for name in names {
            guard let source = configuration.source(named: name) else {
                let known = configuration.sources.map(\.name).joined(separator: ", ")
                Terminal.error(
                    "sessionsync: no source named \"\(name)\" in \(configuration.file) (configured: \(known))")
                throw ExitStatus.badConfig
            }
            selected.append(source)
        }
        return selected
    }

    /// Opens (and migrates) the archive for a command that reads or writes it once.
    func openArchive() throws -> ArchiveStore {
        try opening {
            Terminal.error("sessionsync: \($0)")
        } open: {
            try ArchiveStore(path: databasePath)
        }
    }

    /// The archive for the daemon and passes: opened (and migrated) once, owned by an actor. A
    /// WAL checkpoint SQLite refuses is counted in `metrics` and logged once per kind (the WAL
    /// only grows until one succeeds; `status` shows them all).
    func openArchiveDatabase(logger: Logger, metrics: EngineMetrics? = nil) throws -> ArchiveDatabase {
        try opening {
            logger.critical("cannot use the archive", metadata: ["error": "\($0)"])
        } open: {
            try ArchiveDatabase(path: databasePath) { failure in
                metrics?.checkpointFailed()
                if failure.firstOfKind {
                    logger.warning(
                        "WAL checkpoint failed; the WAL grows until one succeeds (logged once per kind; see status)",
                        metadata: ["sqlite.error": "\(failure.kind)", "sqlite.message": "\(failure.message)"]
                    )
                }
            }
        }
    }

    /// Runs `open`, turning the archive's errors into one sentence naming the file (exit 1).
    private func opening<T>(report: (String) -> Void, open: () throws -> T) throws -> T {
        do {
            return try open()
        } catch let error as MigrationError {
            report("\(databasePath): \(error)")
        } catch let error as SQLiteError {
            report("cannot open the archive \(databasePath): \(error.message)")
        }
        throw ExitStatus.failure
    }
}
