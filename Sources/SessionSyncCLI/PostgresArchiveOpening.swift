import ArgumentParser
import Logging
import PostgresArchive

/// The PostgreSQL archive for a command: a pool on the URL's database that stays up while the
/// command works, migrated first, with every failure told as one sentence naming the server
/// (never the password) and the exit status it deserves: 78 when the config or the server's
/// set-up must change (a refused login, a missing database, an archive of a newer release), 1
/// when the server could not be reached (it may come back). An archive a `copy` has not finished
/// is refused (78) unless `refusingUnfinishedCopy` is false (the copy itself). An error `body`
/// throws is told the same way (exit 1), unless it is already an exit status.
enum PostgresArchiveOpening {
    /// For commands that print their own results: postgres-nio's messages are not for them.
    static let quietLogger = Logger(label: "sessionsync.archive") { _ in SwiftLogNoOpLogHandler() }

    static func with<T>(
        _ location: PostgresLocation, password: String?,
        leasePeriod: Duration = PostgresArchiveDatabase.defaultLeasePeriod, refusingUnfinishedCopy: Bool = true,
        logger: Logger = quietLogger,
        report: (String) -> Void = { Terminal.error("sessionsync: \($0)") },
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresArchiveDatabase, [PostgresMigration]) async throws -> T
    ) async throws -> T {
        let migrator: PostgresMigrator
        do {
            migrator = try PostgresMigrations.migrator()
        } catch {
            report("the embedded PostgreSQL migrations are unusable: \(error)")
            throw ExitStatus.failure
        }
        return try await withPostgresClient(location.clientConfiguration(password: password), logger: logger) {
            client in
            let applied: [PostgresMigration]
            do {
                applied = try await migrator.migrate(client, logger: logger)
            } catch let error as PostgresMigrationError {
                report("the PostgreSQL archive \(location): \(error)")
                if error.isDatabaseNewer { throw ExitStatus.badConfig }
                throw ExitStatus.failure
            } catch {
                let failure = PostgresFailure(error, location: location, passwordGiven: password != nil)
                report(failure.description)
                throw failure.isConfigProblem ? ExitStatus.badConfig : ExitStatus.failure
            }
            let archive = PostgresArchiveDatabase(
                client: client, server: location, passwordGiven: password != nil, logger: logger,
                leasePeriod: leasePeriod)
            if refusingUnfinishedCopy, let file = try? await SQLiteArchiveCopy.unfinished(in: archive) {
                report(
                    "the PostgreSQL archive \(location) holds a copy of \(file) that has not finished; run "
                        + "`sessionsync copy --from \(file) --to URL` again to finish it before anything writes to it")
                throw ExitStatus.badConfig
            }
            do {
                return try await body(archive, applied)
            } catch let status as ExitCode {
                throw status
            } catch {
                report("\(error)")
                throw ExitStatus.failure
            }
        }
    }
}
