import Archive
import ArgumentParser
import Foundation
import Logging
import PostgresArchive
import SQLiteDB
import SessionSyncSupport
import SyncEngine

/// `sessionsync migrate`
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the archive or bring its schema up to date, and print the schema version.",
        discussion: """
            Applies the pending numbered migrations, each in its own transaction: a failing migration leaves the \
            database exactly as it was. Running it again is a no-op. A database written by a newer sessionsync is \
            refused, untouched. With --database alone no config file is needed.
            """
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let location: DatabaseLocation
        var password: String?
        if let database = options.database, options.config == nil {
            location = try CommandEnvironment.databaseOption(database)
        } else {
            let configuration = try CommandEnvironment.loadConfigurationForArchive(options)
            password = configuration.databasePassword?.reveal()
            location = configuration.databaseLocation
        }
        let path: String
        switch location {
        case .sqlite(let file):
            path = file
        case .postgres(let server):
            // Migrating writes no row: a half-copied archive may be brought up to date (the copy does it too).
            try await PostgresArchiveOpening.with(
                server, password: password, refusingUnfinishedCopy: false
            ) { _, applied in
                let version = try PostgresMigrations.migrator().latestVersion
                if applied.isEmpty {
                    Terminal.print("\(server): schema version \(version), up to date")
                } else {
                    let names = applied.map { String(format: "%04d_%@", $0.version, $0.name) }.joined(separator: ", ")
                    Terminal.print("\(server): schema version \(version) (applied \(names))")
                }
            }
            return
        }
        let migrator = try ArchiveMigrations.migrator()
        let connection: Connection
        do {
            connection = try Connection(path: path)
        } catch {
            Terminal.error("sessionsync: cannot open the archive \(path): \(error.message)")
            throw ExitStatus.failure
        }
        do {
            let applied = try migrator.migrate(connection, now: { Timestamp.now().iso8601 })
            let version = try migrator.currentVersion(of: connection)
            if applied.isEmpty {
                Terminal.print("\(path): schema version \(version), up to date")
            } else {
                let names = applied.map { String(format: "%04d_%@", $0.version, $0.name) }.joined(separator: ", ")
                Terminal.print("\(path): schema version \(version) (applied \(names))")
            }
        } catch {
            Terminal.error("sessionsync: \(path): \(error)")
            throw ExitStatus.failure
        }
    }
}
