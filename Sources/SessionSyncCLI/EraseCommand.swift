import Archive
import ArgumentParser
import Logging
import PostgresArchive
import SessionSyncSupport
import SyncEngine

/// `sessionsync erase`
struct EraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a user: their sessions and every participant, message and transcript line of theirs.",
        discussion: """
            Deletes every session whose user_id is the id, with all its rows and queue items, and tombstones it \
            (a keyed hash, not the id) so that no later pass, lookback, reset-cursor or enqueue archives it again; \
            in other sessions, the user's participants with their chat messages and transcript lines, transcript \
            lines that name the user by id and metadata entries whose value is the id; quarantined records that \
            quote the id; and the id in drift samples and stored error texts. Freed space is overwritten \
            (PRAGMA secure_delete) and the WAL emptied (wal_checkpoint(TRUNCATE)). Prints the rows removed per \
            table. Safe while the daemon runs. Exit status: 0 done, 1 when a reader kept the WAL from being \
            emptied (run it again), 78 on a bad config or an unknown source.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(
        name: .long,
        help: ArgumentHelp("The user id, as in sessions.user_id and participants.user_id.", valueName: "id"))
    var user: String

    @Option(name: .long, help: ArgumentHelp("Only this source's sessions and rows.", valueName: "name"))
    var source: String?

    @Flag(name: .long, help: "Print what would be deleted, and change nothing.")
    var dryRun = false

    /// The tables `erase` reports, in this order, zeros included.
    static let tables = [
        "sessions", "participants", "messages", "transcripts", "page_history", "timeline", "event_counts",
        "session_metadata", "session_fingerprints", "fetch_queue", "detail_requests", "quarantine",
    ]

    func validate() throws {
        guard !user.isEmpty else { throw ValidationError("--user must not be empty") }
    }

    func run() async throws {
        let configuration = try CommandEnvironment.loadConfigurationForArchive(options)
        switch configuration.databaseLocation {
        case .sqlite(let path):
            let environment = CommandEnvironment(configuration: configuration, databasePath: path)
            let store = try environment.openArchive()
            let sources = try store.allSources()
            guard let scope = try scope(in: sources, configuration: configuration) else { return }
            let report = try store.erase(userID: user, sourceID: scope, dryRun: dryRun)
            printReport(report, sources: sources, postgres: false)
            if !report.fullTextIndexesRebuilt.isEmpty {
                Terminal.print("full-text indexes rebuilt: \(report.fullTextIndexesRebuilt.joined(separator: ", "))")
            }
            guard let checkpoint = report.checkpoint else {
                Terminal.print("run it without --dry-run to erase")
                return
            }
            if checkpoint.busy {
                Terminal.error(
                    "sessionsync: the rows are deleted, but a reader kept an old snapshot open and the WAL could not be "
                        + "emptied: old copies may remain in \(path)-wal until it is; run the same erase again once "
                        + "that reader is done")
                throw ExitStatus.failure
            }
            Terminal.print(
                "freed space overwritten (secure_delete) and the WAL emptied (wal_checkpoint(TRUNCATE)); "
                    + "tombstoned sessions are never archived again")
        case .postgres(let location):
            try await PostgresArchiveOpening.with(location, password: configuration.databasePassword?.reveal()) {
                archive, _ in
                let sources = try await archive.withStatusReading { try await $0.allSources() }
                guard let scope = try scope(in: sources, configuration: configuration) else { return }
                let report = try await archive.erase(userID: user, sourceID: scope, dryRun: dryRun)
                printReport(report, sources: sources, postgres: true)
                if dryRun {
                    Terminal.print("run it without --dry-run to erase")
                    return
                }
                Terminal.print(
                    "tombstoned sessions are never archived again. PostgreSQL keeps the deleted rows' old versions in "
                        + "the tables' files until VACUUM reclaims them, and in its WAL and backups: to rewrite the "
                        + "tables now, run VACUUM (FULL) sessions, participants, messages, transcripts, "
                        + "session_metadata, quarantine; as the archive's owner (it locks each table while it runs)")
            }
        }
    }

    /// The source to erase from: `.some(nil)` for every source, nil (after saying so) for a
    /// configured source never synced, and exit 78 for one neither archived nor configured.
    private func scope(in sources: [SourceRow], configuration: Configuration) throws -> Int64?? {
        guard let source else { return .some(nil) }
        if let row = sources.first(where: { $0.name == source }) { return row.id }
        if configuration.source(named: source) != nil {
            Terminal.print("\(source): never synced, nothing archived to erase")
            return nil
        }
        Terminal.error("sessionsync: no source named \"\(source)\" in the archive or in the config")
        throw ExitStatus.badConfig
    }

    /// The rows removed per table, the sessions, and what still quotes the id.
    private func printReport(_ report: ErasureReport, sources: [SourceRow], postgres: Bool) {
        let scope = source.map { "from source \($0)" } ?? "from every source"
        Terminal.print(
            dryRun
                ? "dry run: erasing user \"\(user)\" \(scope) would delete (nothing was changed):"
                : "erased user \"\(user)\" \(scope); rows deleted:")
        for table in Self.tables {
            Terminal.print("  \(table.padding(20))\(report.removed[table])")
        }
        Terminal.print("  \("tombstones added".padding(20))\(report.tombstonesAdded)")
        if !report.sessions.isEmpty {
            let names = Dictionary(uniqueKeysWithValues: sources.map { ($0.id, $0.name) })
            let listed = report.sessions.map { "\(names[$0.sourceID] ?? "?") \($0.externalID)" }
            let more = report.removed["sessions"] - listed.count
            Terminal.print(
                "  the sessions: \(listed.joined(separator: ", "))\(more > 0 ? " and \(more) more" : "")")
        }
        let cleared = ["schema_drift", "sync_runs", "fetch_queue"].map { "\($0) \(report.cleared[$0])" }
        Terminal.print("  texts quoting the id replaced by [erased]: \(cleared.joined(separator: ", "))")
        if report.otherSessionsMentioningID > 0 {
            let literal =
                "'" + user.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
            let condition =
                postgres
                ? "strpos(raw::text, \(literal)) > 0 OR strpos(metadata::text, \(literal)) > 0 "
                    + "OR strpos(detail_raw::text, \(literal)) > 0"
                : "instr(raw, \(literal)) OR instr(metadata, \(literal)) OR instr(detail_raw, \(literal))"
            Terminal.print(
                "note: \(report.otherSessionsMentioningID) other session(s) (not the user's, kept) still contain the id "
                    + "in raw, detail_raw or metadata; list them with: SELECT id, source_id, external_id FROM sessions "
                    + "WHERE \(condition);"
            )
        }
    }
}

extension String {
    /// The text followed by spaces up to `width` characters.
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
