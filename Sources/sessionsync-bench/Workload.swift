import SessionSyncSupport

/// The shapes of work the benchmark measures, each in one provider's shape.
enum Workload: String, CaseIterable, Sendable {
    /// YourGPT-shaped listing, 100 sessions a page, nothing per session.
    case listOnly = "list-only"
    /// RealtimeKit-shaped listing plus one participants page (5 participants) per session.
    case fanOut = "fan-out"
    /// isnotai-shaped listing plus details (60 timeline points, 20 pages) per session.
    case detail = "detail"
    /// YourGPT-shaped listing plus each conversation's messages (10), which full-text search indexes.
    case chat = "chat"

    static let pageSize = 100
    static let participants = 5
    static let timelinePoints = 60
    static let pageVisits = 20
    static let messages = 10
    /// Sessions start one minute apart, ending just before this instant.
    static let newest = Timestamp(iso8601: "2026-11-20T00:00:00Z")!

    static let accountID = "0123456789abcdef0123456789abcdef"
    static let appID = "9f1c2d3eaaaa4bbb8ccc000000000001"
    static let key = "bench-key"

    /// The start of session `index` (index 0 is the oldest).
    static func created(_ index: Int, of count: Int) -> Timestamp {
        newest.subtracting(.seconds(60 * Int64(count - index)))
    }

    /// Data rows one session brings to the archive (the session and its children).
    var rowsPerSession: Int {
        switch self {
        case .listOnly: 1
        case .fanOut: 1 + Self.participants
        case .detail: 1 + 6 + Self.timelinePoints + Self.pageVisits
        case .chat: 1 + Self.messages
        }
    }

    /// The source object of the config that points sessionsync at the bench server.
    func source(baseURL: String) -> String {
        // Limits far above what loopback can do: the benchmark measures sessionsync, not a throttle.
        let common =
            #""name": "bench", "baseURL": "\#(baseURL)", "rateLimit": {"requests": 1000000, "per": "1s"}, "maxConcurrentRequests": 4, "schedule": {"every": "1h"}"#
        switch self {
        case .listOnly:
            return
                #"{\#(common), "provider": "yourgpt", "apiKey": {"env": "BENCH_KEY"}, "pageSize": 100, "since": "2026-01-01T00:00:00Z", "lookback": "1h"}"#
        case .chat:
            return
                #"{\#(common), "provider": "yourgpt", "apiKey": {"env": "BENCH_KEY"}, "messages": true, "pageSize": 100, "since": "2026-01-01T00:00:00Z", "lookback": "1h"}"#
        case .fanOut:
            return
                #"{\#(common), "provider": "realtimekit", "accountId": "\#(Self.accountID)", "appId": "\#(Self.appID)", "apiToken": {"env": "BENCH_KEY"}, "participants": true, "chat": false, "transcripts": false, "pageSize": 100, "since": "2026-01-01T00:00:00Z", "lookback": "10m"}"#
        case .detail:
            return
                #"{\#(common), "provider": "isnotai", "apiKey": {"env": "BENCH_KEY"}, "pageSize": 100, "since": "2026-01-01T00:00:00Z", "lookback": "10m"}"#
        }
    }
}
