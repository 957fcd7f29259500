import Archive
import SessionSyncSupport
import SyncEngine

/// The test connector: pages through `/items` oldest first and commits each page with the
/// cursor advance that covers it, as a time-ordered connector should.
struct ItemsProvider: Provider {
    struct Settings: ProviderSettings {
        let token: Secret
        let pageSize: Int
        let path: String
    }

    static let descriptor = ProviderDescriptor(
        name: "items",
        defaults: ProviderDefaults(
            baseURL: nil, schedule: .every(.seconds(60)), lookback: .zero, initialWindow: .seconds(365 * 86_400),
            rateLimits: []
        ),
        readSettings: { reader in
            let token = reader.secret("token", required: true)
            let pageSize = reader.int("pageSize", range: 1...100) ?? 10
            let path = reader.string("path") ?? "/items"
            return token.map { Settings(token: $0, pageSize: pageSize, path: path) }
        },
        makeProvider: { ItemsProvider(settings: $0.settings as! Settings) }
    )

    static let registry = ProviderRegistry([descriptor])

    let settings: Settings

    var credentials: [(String, String)] {
        [("Authorization", "Bearer \(settings.token.reveal())")]
    }

    func describeError(status: Int, body: [UInt8]) -> String? {
        (try? JSONDocument(bytes: body))?.root["message"]?.string
    }

    func probe(_ http: SourceHTTP) async throws -> String {
        "ok"
    }

    func sync(_ pass: SyncPass) async throws {
        let previous = try await pass.archive.timestampCursor("created")
        let since = try await pass.archive.readFrom(stream: "created")
        var page = 1
        while true {
            let request = APIRequest(
                path: settings.path,
                query: [("since", since.iso8601), ("page", "\(page)"), ("per_page", "\(settings.pageSize)")],
                endpoint: "GET /items"
            )
            let document = try await pass.http.sendJSON(request)
            var batch = ArchiveBatch()
            var newest: Timestamp?
            let items = try pass.http.map("GET /items") { () throws(JSONShapeError) in
                try document.root.requireArray("items")
            }
            for item in items.elements {
                let record = try pass.http.map("GET /items") { () throws(JSONShapeError) -> SessionRecord in
                    var record = SessionRecord(externalID: try item.requireString("id"), kind: .activity)
                    let created = Timestamp(iso8601: try item.requireString("created"))
                    record.startedAt = created
                    record.title = try item.requireString("value")
                    record.raw = item.rawText
                    if let created { newest = max(newest ?? created, created) }
                    return record
                }
                batch.sessions.append(record)
            }
            if let newest {
                batch.cursors.append(pass.archive.advance(stream: "created", to: newest, previous: previous))
            }
            try await pass.archive.commit(batch)
            guard document.root["more"]?.bool == true else { break }
            page += 1
        }
    }
}

extension ItemsProvider {
    /// The test connector keeps no payload worth mapping again.
    func remap(_ stored: StoredSession) -> RemappedSession {
        RemappedSession(record: nil)
    }

    func retry(_ entry: QuarantineEntry) -> QuarantineRetry {
        .notRetried("the test connector maps nothing again")
    }
}
