import Archive
import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine

/// A RealtimeKit source against its simulator and the simulator's export host (a second origin).
struct RealtimeKitFixture {
    static let token = "cf-rtk-token-7d3e91b0c4"
    static let accountID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    static let appID = "f00dcafe-0000-4000-8000-1234abcd5678"

    let simulator: RealtimeKitSimulator
    let harness: ProviderHarness
    let exports: SimulatorServer

    /// The simulator's clock: started on a whole minute near the real now, so that export
    /// deadlines (which the engine checks against the real clock) fall where a test expects them.
    static func clock() -> SimulationClock {
        let now = Timestamp.now().millisecondsSinceEpoch
        return .manual(Timestamp(millisecondsSinceEpoch: now - now % 60_000))
    }

    static func options(sessions: Int = 30, live: Int = 0, participants: ClosedRange<Int> = 2...6, seed: UInt64 = 5)
        -> RealtimeKitSimulator.Options
    {
        var options = RealtimeKitSimulator.Options()
        options.apiToken = token
        options.accountID = accountID
        options.appID = appID
        options.sessions = sessions
        options.liveSessions = live
        options.participantsPerSession = participants
        options.seed = seed
        options.clock = clock()
        return options
    }

    /// A fixture for `body`: the API's server and the export host are shut down when `body`
    /// returns or throws.
    /// - Parameters:
    ///   - extra: more members of the source object, e.g. `, "transcripts": true`.
    ///   - archive: what the source writes to.
    @discardableResult
    static func with<T>(
        _ options: RealtimeKitSimulator.Options, pageSize: Int = 10, extra: String = "", token: String = token,
        appID: String = appID, archive: ArchiveChoice = .sqlite,
        _ body: (RealtimeKitFixture) async throws -> T
    ) async throws -> T {
        let simulator = RealtimeKitSimulator(options: options)
        let since = options.clock.now.subtracting(.seconds(3 * 86_400)).iso8601
        return try await withShutdown(try await simulator.startExportServer()) { exports in
            try await withProviderHarness(
                api: simulator,
                source:
                    #""provider": "realtimekit", "accountId": "\#(accountID)", "appId": "\#(appID)", "apiToken": {"env": "RTK_TOKEN"}, "pageSize": \#(pageSize), "since": "\#(since)", "lookback": "10m"\#(extra)"#,
                secrets: ["RTK_TOKEN": token], archive: archive
            ) { harness in
                try await body(RealtimeKitFixture(simulator: simulator, harness: harness, exports: exports))
            }
        }
    }

    /// Requests to the API whose path ends with `suffix` (e.g. `/sessions`, `/participants`).
    func requests(endingWith suffix: String) -> [SimulatedRequest] {
        harness.server.log.all.map(\.request).filter { $0.path.hasSuffix(suffix) }
    }

    /// The fetch-queue row of `kind` for session `id`: state, attempts, last error, next attempt.
    func queue(_ kind: String, _ id: String) async throws -> (
        state: String?, lastError: String?, nextAttemptAt: String?
    )? {
        guard
            let row = try await harness.rows(
                "SELECT state, last_error, next_attempt_at FROM fetch_queue WHERE kind = ? AND external_id = ?",
                .text(kind), .text(id)
            ).first
        else { return nil }
        return (row[0], row[1], row[2])
    }

    /// Makes `duration` pass for the fetch queue: the engine reads the real clock, so the queue's
    /// deadlines and retry times move back instead.
    func ageQueue(by duration: Duration) async throws {
        try await harness.ageQueue(by: duration)
    }
}
