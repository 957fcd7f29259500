import Archive
import SessionSyncSupport
import SyncEngine

/// Cloudflare RealtimeKit sessions (`/accounts/{account_id}/realtime/kit/{app_id}/sessions`),
/// their participants and, optionally, their chat and transcript exports.
///
/// A pass lists sessions oldest first by `created_at` from the cursor minus the lookback, then
/// re-reads every archived session still live that the listing did not bring, until the API says
/// it ended. Per-session work goes through the fetch queue: participants whenever a session is
/// new or changed (`updated_at`), exports once it ended, retried until upstream retention
/// (7 days) is over.
public struct RealtimeKitProvider: Provider {
    let settings: RealtimeKitSettings
    let api: RealtimeKitAPI

    public init(source: SourceConfiguration) {
        guard let settings = source.settings as? RealtimeKitSettings else {
            preconditionFailure("a realtimekit source carries RealtimeKitSettings")
        }
        self.settings = settings
        self.api = RealtimeKitAPI(accountID: settings.accountID, appID: settings.appID)
    }

    public var credentials: [(String, String)] {
        [("Authorization", "Bearer " + settings.apiToken.reveal())]
    }

    public func describeError(status: Int, body: [UInt8]) -> String? {
        RealtimeKitEnvelope.errorMessage(body)
    }

    public func probe(_ http: SourceHTTP) async throws -> String {
        let document = try await api.sessions(
            http, createdSince: Timestamp.now().subtracting(.seconds(30 * 86_400)), page: 1, perPage: 1)
        var drift = SchemaDriftLog(endpoint: RealtimeKitAPI.sessionsEndpoint)
        if let paging = RealtimeKitPaging.read(from: document.root, &drift) {
            return "authenticated; \(paging.totalCount) session(s) created in the last 30 days"
        }
        return "authenticated; the sessions list answered"
    }

    /// Each stage runs whatever an earlier one met; exports, which expire upstream after 7
    /// days, also run after the rate budget is spent (see ``PassStages``).
    public func sync(_ pass: SyncPass) async throws {
        var stages = PassStages()
        await stages.run { try await RealtimeKitListing(api: api, settings: settings).run(pass) }
        await stages.run { try await RealtimeKitRevisits(api: api, settings: settings).run(pass) }
        if settings.participants {
            await stages.run { try await RealtimeKitParticipantsFetcher(api: api, settings: settings).run(pass) }
        }
        for export in RealtimeKitChildWork(settings: settings).exports {
            await stages.run(expires: true) { try await RealtimeKitExportFetcher(api: api, export: export).run(pass) }
        }
        try stages.finish()
    }
}
