import Archive
import ArgumentParser
import Foundation
import Logging
import Providers
import SQLiteDB
import SyncEngine

/// What every command does first: read the config (reporting every problem, exit 78) and find
/// the archive.
struct CommandEnvironment {
    let configuration: Configuration
    let databasePath: String

    /// Loads the config. Commands that send no request pass `resolveSecrets: false`, so `status`
    /// works for an operator who cannot read the service's credentials.
    static func load(_ options: GlobalOptions, resolveSecrets: Bool) throws -> CommandEnvironment {
        let path = ConfigurationLoader.defaultPath(explicit: options.config)
        let loader = ConfigurationLoader(
            registry: StandardProviders.registry,
            environment: SecretEnvironment(resolve: resolveSecrets)
        )
        do {
            let configuration = try loader.load(file: path)
            return CommandEnvironment(
                configuration: configuration, databasePath: options.database ?? configuration.database)
        } catch {
            Terminal.error("sessionsync: invalid config \(error.description)")
            throw ExitStatus.badConfig
        }
    }

    /// The sources named on the command line (all when none), or exit 78 naming the unknown ones.
    func selectSources(_ names: [String], enabledOnly: Bool) throws -> [SourceConfiguration] {
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
