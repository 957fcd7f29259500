import SessionSyncSupport
import SyncEngine

/// The live-session search request of one source, in its API style's own form: path,
/// `Authorization` header, and body with the configured filters.
struct OpenReplaySearch: Sendable {
    let settings: OpenReplaySettings

    /// The names the v2 assist service knows (apis.md 1.3); any other name is a metadata key.
    static let knownNames = [
        "userId", "userAnonymousId", "userOs", "userBrowser", "userDevice", "platform", "userCountry", "userState",
        "userCity", "active",
    ]

    var path: String {
        switch settings.apiStyle {
        case .public: "/public/\(settings.projectKey)/assist/sessions"
        case .legacy: "/api/v1/\(settings.projectKey)/assist/sessions"
        }
    }

    /// How errors name the endpoint (the project key left as a placeholder).
    var endpoint: String {
        switch settings.apiStyle {
        case .public: "POST /public/:projectKey/assist/sessions"
        case .legacy: "POST /api/v1/:projectKey/assist/sessions"
        }
    }

    var credentials: [(String, String)] {
        switch settings.apiStyle {
        case .public: [("Authorization", "Bearer " + settings.apiKey.reveal())]
        case .legacy: [("Authorization", settings.apiKey.reveal())]
        }
    }

    func request(page: Int, limit: Int) -> APIRequest {
        .postJSON(path, body: body(page: page, limit: limit).bytes, endpoint: endpoint)
    }

    /// `{"order", "page", "limit", "filters"}`; `sort` is left out because the service ignores it.
    func body(page: Int, limit: Int) -> JSONOutput {
        .object([
            ("order", .string(settings.apiStyle == .public ? "desc" : "DESC")),
            ("page", .int(Int64(page))),
            ("limit", .int(Int64(limit))),
            ("filters", .array(filters)),
        ])
    }

    var filters: [JSONOutput] {
        var result = settings.filters.map {
            settings.apiStyle == .public ? Self.publicFilter($0) : Self.legacyFilter($0)
        }
        if let userID = settings.userID {
            result.append(
                settings.apiStyle == .public
                    ? .object([
                        ("name", .string("userId")), ("operator", .string("is")), ("value", .array([.string(userID)])),
                    ])
                    : .object([("type", .string("USERID")), ("value", .array([.string(userID)]))])
            )
        }
        return result
    }

    /// `{"name", "operator", "value", "source"}` as the v2 service reads it.
    ///
    /// The service looks any name it does not know up as a metadata key, so the documented
    /// `{"name": "METADATA", "source": "plan"}` would search a key literally named "METADATA" and
    /// match nothing: it is sent as `metadata_plan` (with `source`), which the service resolves
    /// to the key in `source`. Known names written in another case (`USERID`, the legacy form)
    /// are sent in the service's camelCase for the same reason.
    static func publicFilter(_ filter: OpenReplaySettings.Filter) -> JSONOutput {
        var name = filter.name
        var source = filter.source
        if name.uppercased() == "METADATA", let key = source {
            name = "metadata_" + key
        } else if name.hasPrefix("metadata_"), source == nil {
            source = String(name.dropFirst("metadata_".count))
        } else if let known = knownNames.first(where: { $0.lowercased() == name.lowercased() }) {
            name = known
        }
        var members: [(String, JSONOutput)] = [
            ("name", .string(name)),
            ("operator", .string(filter.operator ?? "contains")),
            ("value", .array(filter.values.map(JSONOutput.string))),
        ]
        if let source { members.append(("source", .string(source))) }
        return .object(members)
    }

    /// `{"type", "value", "source"}`: the legacy search has no operator (it always matches "contains").
    static func legacyFilter(_ filter: OpenReplaySettings.Filter) -> JSONOutput {
        var members: [(String, JSONOutput)] = [
            ("type", .string(filter.name)),
            ("value", .array(filter.values.map(JSONOutput.string))),
        ]
        if let source = filter.source { members.append(("source", .string(source))) }
        return .object(members)
    }
}
