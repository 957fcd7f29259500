import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators

/// One simulator per provider in this process, their servers, and a config for a `sessionsync`
/// subprocess with one source on each. The simulators' clocks stand still, so two passes see
/// the same upstream data and the archive can be compared with what the simulators hold.
struct FourSourceFixture: Sendable {
    /// The providers, named as the config names their sources.
    enum Provider: String, CaseIterable, Sendable, CustomStringConvertible {
        case openreplay, isnotai, realtimekit, yourgpt

        var description: String { rawValue }
    }

    static let keys = [
        "OR_KEY": "e2e-openreplay-key",
        "IA_KEY": "aik_v1_ZTJlLWhvc3RpbGUta2V5LWZvci10ZXN0cy0wMDAwMDAw",
        "RTK_TOKEN": "e2e-realtimekit-token",
        "YG_KEY": "e2e-yourgpt-key",
    ]
    /// Small pages, so that every listing has several.
    static let pageSize = 4

    let directory: String
    let openreplay: OpenReplaySimulator
    let isnotai: IsNotAISimulator
    let realtimekit: RealtimeKitSimulator
    let yourgpt: YourGPTSimulator
    let servers: [Provider: SimulatorServer]
    let exportServer: SimulatorServer
    let configPath: String
    let databasePath: String
    /// The simulators' time, which does not move.
    let now: Timestamp

    /// A fixture for `body`, in a temporary folder: every server is shut down and the folder
    /// removed when `body` returns or throws.
    @discardableResult
    static func with<T>(_ body: (FourSourceFixture) async throws -> T) async throws -> T {
        let now = Timestamp.now()
        let clock = SimulationClock.manual(now)

        var openreplayOptions = OpenReplaySimulator.Options()
        openreplayOptions.apiKey = Self.keys["OR_KEY"]!
        openreplayOptions.sessions = 10
        openreplayOptions.clock = clock
        let openreplay = OpenReplaySimulator(options: openreplayOptions)

        var isnotaiOptions = IsNotAISimulator.Options()
        isnotaiOptions.apiKey = Self.keys["IA_KEY"]!
        isnotaiOptions.sessions = 10
        isnotaiOptions.clock = clock
        let isnotai = IsNotAISimulator(options: isnotaiOptions)

        var realtimekitOptions = RealtimeKitSimulator.Options()
        realtimekitOptions.apiToken = Self.keys["RTK_TOKEN"]!
        realtimekitOptions.sessions = 10
        realtimekitOptions.liveSessions = 2
        realtimekitOptions.participantsPerSession = 2...5
        realtimekitOptions.clock = clock
        let realtimekit = RealtimeKitSimulator(options: realtimekitOptions)

        var yourgptOptions = YourGPTSimulator.Options()
        yourgptOptions.apiKey = Self.keys["YG_KEY"]!
        yourgptOptions.sessions = 10
        yourgptOptions.clock = clock
        let yourgpt = YourGPTSimulator(options: yourgptOptions)

        return try await withTemporaryDirectory { directory in
            // The export host must be up before the first download link is handed out.
            try await withShutdown(try await realtimekit.startExportServer()) { exportServer in
                let apis: [Provider: any SimulatedAPI] = [
                    .openreplay: openreplay, .isnotai: isnotai, .realtimekit: realtimekit, .yourgpt: yourgpt,
                ]
                return try await withSimulatorServers(apis) { servers in
                    try await body(
                        FourSourceFixture(
                            directory: directory, openreplay: openreplay, isnotai: isnotai, realtimekit: realtimekit,
                            yourgpt: yourgpt,
                            servers: servers, exportServer: exportServer, now: now
                        )
                    )
                }
            }
        }
    }

    private init(
        directory: String, openreplay: OpenReplaySimulator, isnotai: IsNotAISimulator,
        realtimekit: RealtimeKitSimulator, yourgpt: YourGPTSimulator,
        servers: [Provider: SimulatorServer], exportServer: SimulatorServer, now: Timestamp
    ) throws {
        self.directory = directory
        self.openreplay = openreplay
        self.isnotai = isnotai
        self.realtimekit = realtimekit
        self.yourgpt = yourgpt
        self.servers = servers
        self.exportServer = exportServer
        self.now = now
        databasePath = directory + "/archive.sqlite"
        let since = now.subtracting(.seconds(4 * 86_400)).iso8601
        let common =
            #""pageSize": \#(Self.pageSize), "schedule": {"every": "1h"}, "rateLimit": {"requests": 10000, "per": "1s"}"#
        let sources = [
            #"{"name": "openreplay", "provider": "openreplay", "baseURL": "\#(servers[.openreplay]!.baseURL)", "projectKey": "\#(openreplay.options.projectKey)", "apiKey": {"env": "OR_KEY"}, \#(common)}"#,
            #"{"name": "isnotai", "provider": "isnotai", "baseURL": "\#(servers[.isnotai]!.baseURL)", "apiKey": {"env": "IA_KEY"}, "since": "\#(since)", \#(common)}"#,
            #"{"name": "realtimekit", "provider": "realtimekit", "baseURL": "\#(servers[.realtimekit]!.baseURL)", "accountId": "\#(realtimekit.options.accountID)", "appId": "\#(realtimekit.options.appID)", "apiToken": {"env": "RTK_TOKEN"}, "participants": true, "chat": true, "transcripts": true, "since": "\#(since)", \#(common)}"#,
            #"{"name": "yourgpt", "provider": "yourgpt", "baseURL": "\#(servers[.yourgpt]!.baseURL)", "apiKey": {"env": "YG_KEY"}, "messages": true, "since": "\#(since)", \#(common)}"#,
        ]
        let config =
            #"{"database": "\#(databasePath)", "logLevel": "notice", "sources": [\#(sources.joined(separator: ",\n"))]}"#
        configPath = try writeFile("config.json", config, in: directory)
    }

    func server(_ provider: Provider) -> SimulatorServer {
        servers[provider]!
    }

    /// `sessionsync sync` over all four sources, as a subprocess.
    func sync() throws -> SessionSyncProcess {
        try SessionSyncProcess(["sync", "--config", configPath], environment: Self.keys)
    }

    func query(_ sql: String) throws -> [[String?]] {
        try queryArchive(at: databasePath, sql)
    }

    /// The external ids of `source`'s archived sessions, sorted.
    func archivedIDs(_ source: Provider, where condition: String = "1") throws -> [String] {
        try query(
            "SELECT s.external_id FROM sessions s JOIN sources o ON o.id = s.source_id WHERE o.name = '\(source.rawValue)' AND \(condition) ORDER BY 1"
        ).map { $0[0] ?? "" }
    }

    /// The external ids in child table `table` (participants, messages) of one session, sorted.
    func childIDs(_ table: String, of externalID: String, source: Provider) throws -> [String] {
        try query(childSQL("c.external_id", table, externalID, source) + " ORDER BY 1").map { $0[0] ?? "" }
    }

    /// How many rows child table `table` holds for one session.
    func childCount(_ table: String, of externalID: String, source: Provider) throws -> Int {
        Int(try query(childSQL("count(*)", table, externalID, source)).first?.first.flatMap { $0 } ?? "") ?? -1
    }

    private func childSQL(_ select: String, _ table: String, _ externalID: String, _ source: Provider) -> String {
        "SELECT \(select) FROM \(table) c JOIN sessions s ON s.id = c.session_id JOIN sources o ON o.id = s.source_id "
            + "WHERE o.name = '\(source.rawValue)' AND s.external_id = '\(externalID)'"
    }

    /// Every stored value of a column named `…_at`, in every table, that is not NULL and not a
    /// timestamp as the contract writes them (`YYYY-MM-DDTHH:MM:SS.mmmZ`, years 0001 to 9999).
    func malformedTimestamps() throws -> [String] {
        let pattern = "[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z"
        var found: [String] = []
        let columns = try query(
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name LIKE '%\\_at' ESCAPE '\\'"
        )
        for row in columns {
            let (table, column) = (row[0] ?? "", row[1] ?? "")
            let bad = try query(
                "SELECT DISTINCT \"\(column)\" FROM \"\(table)\" WHERE \"\(column)\" IS NOT NULL "
                    + "AND (typeof(\"\(column)\") <> 'text' OR \"\(column)\" NOT GLOB '\(pattern)' OR substr(\"\(column)\", 1, 4) = '0000') LIMIT 3"
            )
            found += bad.map { "\(table).\(column) = \($0[0] ?? "NULL")" }
        }
        return found
    }
}
