import ArgumentParser
import Archive
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
            return CommandEnvironment(configuration: configuration, databasePath: options.database ?? configuration.database)
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
                Terminal.error("sessionsync: no source named \"\(name)\" in \(configuration.file) (configured: \(known))")
                throw ExitStatus.badConfig
            }
            selected.append(source)
        }
        return selected
    }

    /// Opens (and migrates) the archive, or explains why it cannot.
    func openArchive() throws -> ArchiveStore {
        try Self.openArchive(at: databasePath)
    }

    /// The archive for the daemon and passes: opened (and migrated) once, owned by an actor.
    func openArchiveDatabase(logger: Logger) throws -> ArchiveDatabase {
        do {
            return try ArchiveDatabase(path: databasePath)
        } catch let error as MigrationError {
            logger.critical("cannot use the archive", metadata: ["database": "\(databasePath)", "error": "\(error)"])
            throw ExitStatus.failure
        } catch let error as SQLiteError {
            logger.critical("cannot open the archive", metadata: ["database": "\(databasePath)", "error": "\(error.message)"])
            throw ExitStatus.failure
        }
    }

    static func openArchive(at path: String) throws -> ArchiveStore {
        do {
            return try ArchiveStore(path: path)
        } catch let error as MigrationError {
            Terminal.error("sessionsync: \(path): \(error)")
            throw ExitStatus.failure
        } catch let error as SQLiteError {
            Terminal.error("sessionsync: cannot open the archive \(path): \(error.message)")
            throw ExitStatus.failure
        }
    }
}
