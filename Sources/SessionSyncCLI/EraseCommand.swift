import Archive
import ArgumentParser
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
        let environment = try CommandEnvironment.load(options, resolveSecrets: false, for: Self.self)
        let store = try environment.openArchive()
        var sourceID: Int64?
        if let source {
            if let row = try store.source(named: source) {
                sourceID = row.id
            } else if environment.configuration.source(named: source) != nil {
                Terminal.print("\(source): never synced, nothing archived to erase")
                return
            } else {
                Terminal.error("sessionsync: no source named \"\(source)\" in the archive or in the config")
                throw ExitStatus.badConfig
            }
        }
        let report = try store.erase(userID: user, sourceID: sourceID, dryRun: dryRun)
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
            let names = Dictionary(uniqueKeysWithValues: try store.allSources().map { ($0.id, $0.name) })
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
            Terminal.print(
                "note: \(report.otherSessionsMentioningID) other session(s) (not the user's, kept) still contain the id "
                    + "in raw, detail_raw or metadata; list them with: SELECT id, source_id, external_id FROM sessions "
                    + "WHERE instr(raw, \(literal)) OR instr(metadata, \(literal)) OR instr(detail_raw, \(literal));"
            )
        }
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
                    + "emptied: old copies may remain in \(environment.databasePath)-wal until it is; run the same "
                    + "erase again once that reader is done")
            throw ExitStatus.failure
        }
        Terminal.print(
            "freed space overwritten (secure_delete) and the WAL emptied (wal_checkpoint(TRUNCATE)); "
                + "tombstoned sessions are never archived again")
    }
}

extension String {
    /// The text followed by spaces up to `width` characters.
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
