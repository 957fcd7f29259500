import SessionSyncSupport
import SyncEngine

/// The keys of a `realtimekit` source.
public struct RealtimeKitSettings: ProviderSettings {
    public var accountID: String
    public var appID: String
    public var apiToken: Secret
    public var participants: Bool
    public var chat: Bool
    public var transcripts: Bool
    public var pageSize: Int

    static func read(_ reader: ConfigObjectReader) -> RealtimeKitSettings? {
        // Account ids are 32 hex digits and app ids UUIDs today; either may change, so only
        // what cannot be a path segment is refused.
        let accountID = reader.pathIdentifier("accountId", required: true, what: "a Cloudflare account id")
        let appID = reader.pathIdentifier("appId", required: true, what: "a RealtimeKit app id")
        let token = reader.secret("apiToken", required: true)
        let participants = reader.bool("participants") ?? true
        let chat = reader.bool("chat") ?? true
        let transcripts = reader.bool("transcripts") ?? false
        let pageSize = reader.int("pageSize", range: 1...100) ?? 100
        guard let accountID, let appID, let token else { return nil }
        return RealtimeKitSettings(
            accountID: accountID, appID: appID, apiToken: token, participants: participants, chat: chat,
            transcripts: transcripts, pageSize: pageSize
        )
    }
}
