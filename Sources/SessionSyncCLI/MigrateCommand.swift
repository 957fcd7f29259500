import Archive
import ArgumentParser
import Foundation
import SQLiteDB
import SessionSyncSupport

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
        let path: String
        if let database = options.database {
            path = try CommandEnvironment.sqlitePath(of: CommandEnvironment.databaseOption(database), for: Self.self)
        } else {
            path = try CommandEnvironment.load(options, resolveSecrets: false, for: Self.self).databasePath
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
