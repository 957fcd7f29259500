import SessionSyncSupport
import SyncEngine

/// The keys of an `isnotai` source.
public struct IsNotAISettings: ProviderSettings {
    public var apiKey: Secret
    /// List sessions with `GET /v1/sessions` (otherwise only requested ids are fetched).
    public var discover: Bool
    /// Ids fetched beside the discovered ones.
    public var sessionIDs: [String]
    public var pageSize: Int
    /// How many times a details request answered 404 is tried before it is given up.
    public var maxDetailAttempts: Int

    static func read(_ reader: ConfigObjectReader) -> IsNotAISettings? {
        let apiKey = reader.secret("apiKey", required: true)
        let discover = reader.bool("discover") ?? true
        let ids = reader.stringArray("sessionIds") ?? []
        let pageSize = reader.int("pageSize", range: 1...100) ?? 100
        let attempts = reader.int("maxDetailAttempts", range: 1...50) ?? 5
        if !discover && ids.isEmpty && reader.object["sessionIds"] == nil {
            reader.warning(
                "discover",
                "discovery is off and no sessionIds are listed: only ids added with `sessionsync enqueue` or detail_requests are fetched"
            )
        }
        guard let apiKey else { return nil }
        return IsNotAISettings(
            apiKey: apiKey, discover: discover, sessionIDs: ids, pageSize: pageSize, maxDetailAttempts: attempts)
    }
}
