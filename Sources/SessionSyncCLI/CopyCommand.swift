import ArgumentParser
import Foundation
import Logging
import PostgresArchive
import SQLiteDB
import SyncEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `sessionsync copy --from FILE --to URL`
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a SQLite archive into a PostgreSQL archive, resumably, and verify the copy.",
        discussion: """
            Copies every archive table (sessions and their children, sources, cursors, the fetch queue, \
            fingerprints, quarantine, schema drift, tombstones, runs, retention bookkeeping) with its ids, in \
            transactions of --chunk-rows rows, then checks both sides: row counts and a digest per table, printed \
            side by side. The file is only read, as of one instant; stop the daemon writing to it first. An \
            interrupted copy (Ctrl-C, kill -9, the server gone) continues where its committed work stopped when \
            the same command runs again. The target must be an empty database (created and migrated if needed) \
            or one this copy filled. The password is the config's databasePassword when a config is found \
            (--config, $SESSIONSYNC_CONFIG, /etc/sessionsync/config.json), none otherwise. Exit status: 0 \
            copied and equal, 1 a difference or a failure (running it again continues), 78 a target that \
            holds another archive, a file of another schema version, or a bad config or URL.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The SQLite archive to copy (read, never written).", valueName: "file"))
    var from: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The PostgreSQL archive: postgres://USER@HOST:PORT/DB?sslmode=... (no password in it).", valueName: "url"))
    var to: String

    @Option(name: .long, help: ArgumentHelp("Rows per transaction.", valueName: "n"))
    var chunkRows: Int = 5_000

    func validate() throws {
        guard options.database == nil else {
            throw ValidationError("copy takes --from FILE and --to URL, not --database")
        }
        guard chunkRows >= 1 else { throw ValidationError("--chunk-rows must be at least 1") }
    }

    func run() async throws {
        let location: PostgresLocation
        switch PostgresLocation.parse(to) {
        case .success(let parsed): location = parsed
        case .failure(let error):
            Terminal.error("sessionsync: --to: the URL \(error.message)")
            throw ExitStatus.badConfig
        }
        let password = try self.password()
        guard FileManager.default.fileExists(atPath: from) else {
            Terminal.error("sessionsync: --from \(from): no such file")
            throw ExitStatus.badConfig
        }
        let source: Connection
        do {
            source = try SQLiteArchiveCopy.openSource(from)
        } catch {
            throw report(error)
        }
        let file = URL(fileURLWithPath: from).resolvingSymlinksInPath().standardizedFileURL.path
        let quiet = Logger(label: "sessionsync.copy") { _ in SwiftLogNoOpLogHandler() }
        let clock = ContinuousClock()
        let started = clock.now
        let equal = try await PostgresArchiveOpening.with(
            location, password: password, refusingUnfinishedCopy: false, logger: quiet
        ) { archive, _ in
            let copy = SQLiteArchiveCopy(source: source, sourceFile: file, archive: archive, chunkRows: chunkRows)
            do {
                try await copyTables(copy, file: file, location: location)
                Terminal.print("copied in \(Self.seconds(clock.now - started)); verifying")
                return try await verify(source: source, archive: archive, logger: quiet)
            } catch {
                throw report(error)
            }
        }
        Terminal.print("done in \(Self.seconds(clock.now - started))")
        guard equal else {
            Terminal.error(
                "sessionsync: the copy differs from \(from) (see the tables marked DIFFERS above); if a daemon wrote to "
                    + "either side meanwhile, stop it and copy into a new, empty database")
            throw ExitStatus.failure
        }
    }

    /// Starts or continues the copy and copies every table, telling how far it is.
    private func copyTables(_ copy: SQLiteArchiveCopy, file: String, location: PostgresLocation) async throws {
        switch try await copy.start() {
        case .new: Terminal.print("copying \(file) into \(location), \(chunkRows) rows per transaction")
        case .resumed(let at): Terminal.print("continuing the copy of \(file) into \(location) begun at \(at)")
        case .finished(let at):
            Terminal.print("\(location) holds a copy of \(file) finished at \(at); verifying it again")
        }
        let progress = ProgressLine(enabled: isatty(2) == 1)
        for table in CopiedTable.all {
            let total = try copy.sourceRows(table)
            let result = try await copy.copy(table) { done in
                progress.show("\(table.name): \(done) of \(total) rows")
            }
            progress.clear()
            let earlier = result.earlier > 0 ? " (\(result.earlier) by an earlier run)" : ""
            Terminal.print("  \(table.name): \(result.copied) row(s) copied\(earlier)")
        }
        try await copy.finish()
    }

    /// Prints each table's row count and digest on both sides; true when all are equal.
    private func verify(source: Connection, archive: PostgresArchiveDatabase, logger: Logger) async throws -> Bool {
        var equal = true
        Terminal.print(
            "  " + Self.padded("table", 22) + " " + Self.padded("SQLite rows", 12, right: true) + "  "
                + Self.padded("digest", 16) + "  " + Self.padded("PostgreSQL rows", 15, right: true) + "  digest")
        for table in CopiedTable.all {
            let left = try ArchiveTableDigest.sqlite(table, connection: source)
            let right = try await ArchiveTableDigest.postgres(table, client: archive.client, logger: logger)
            let same = left.rows == right.rows && left.digest == right.digest
            if !same { equal = false }
            Terminal.print(
                "  " + Self.padded(table.name, 22) + " " + Self.padded("\(left.rows)", 12, right: true) + "  "
                    + left.digest + "  " + Self.padded("\(right.rows)", 15, right: true) + "  " + right.digest
                    + (same ? "  equal" : "  DIFFERS"))
        }
        return equal
    }

    /// The PostgreSQL password: the config's `databasePassword` when a config is found by the
    /// usual rules, none when there is no config (trust or peer authentication, ~/.pgpass is not read).
    private func password() throws -> String? {
        let explicit =
            options.config != nil || !(ProcessInfo.processInfo.environment["SESSIONSYNC_CONFIG"] ?? "").isEmpty
        let path = ConfigurationLoader.defaultPath(explicit: options.config)
        guard explicit || FileManager.default.fileExists(atPath: path) else { return nil }
        // Sources' keys are not needed: only the password is resolved, and only when there is one.
        let configuration = try CommandEnvironment.loadConfiguration(options, resolveSecrets: false)
        guard configuration.databasePassword != nil else { return nil }
        return try CommandEnvironment.loadConfiguration(options, resolveSecrets: true).databasePassword?.reveal()
    }

    /// Prints `error` as one sentence and gives the exit status it deserves.
    private func report(_ error: any Error) -> ExitCode {
        let resumable = "; what was copied is kept, and running the same command again continues from there"
        switch error {
        case let exit as ExitCode:
            return exit
        case let copy as SQLiteArchiveCopyError:
            Terminal.error("sessionsync: \(copy)" + (copy.isConfigProblem ? "" : resumable))
            return copy.isConfigProblem ? ExitStatus.badConfig : ExitStatus.failure
        case let failure as PostgresFailure:
            Terminal.error("sessionsync: \(failure)" + (failure.isConfigProblem ? "" : resumable))
            return failure.isConfigProblem ? ExitStatus.badConfig : ExitStatus.failure
        case let sqlite as SQLiteError:
            Terminal.error("sessionsync: cannot read the SQLite archive \(from): \(sqlite.message)")
            return ExitStatus.failure
        default:
            Terminal.error("sessionsync: \(error)\(resumable)")
            return ExitStatus.failure
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        return String(format: "%.1f s", Double(milliseconds) / 1_000)
    }

    private static func padded(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
