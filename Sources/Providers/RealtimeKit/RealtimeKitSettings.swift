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
        let accountID = reader.string("accountId", required: true)
        let appID = reader.string("appId", required: true)
        for (key, value) in [("accountId", accountID), ("appId", appID)] {
            if let value, value.count > 32 || !value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                reader.problem(key, "\"\(value)\" is not a Cloudflare id (at most 32 letters, digits or '-')")
            }
        }
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
