import SessionSyncSupport
import SyncEngine

/// The keys of an `openreplay` source.
public struct OpenReplaySettings: ProviderSettings, Equatable {
    public enum APIStyle: String, Sendable {
        /// `POST {baseURL}/public/{projectKey}/assist/sessions`, `Authorization: Bearer KEY`.
        case `public`
        /// `POST {baseURL}/api/v1/{projectKey}/assist/sessions`, `Authorization: KEY`.
        case legacy
    }

    /// One search filter as configured: `{"name", "operator", "value", "source"}`.
    public struct Filter: Sendable, Equatable {
        public var name: String
        /// `is` (exact, case-sensitive) or `contains` (case-insensitive substring, the default).
        public var `operator`: String?
        public var values: [String]
        /// The metadata key when `name` is `METADATA`.
        public var source: String?
    }

    public var apiStyle: APIStyle
    public var projectKey: String
    public var apiKey: Secret
    public var filters: [Filter]
    public var userID: String?
    public var pageSize: Int

    static func read(_ reader: ConfigObjectReader) -> OpenReplaySettings? {
        let style =
            reader.string("apiStyle", allowed: ["public", "legacy"]).flatMap(APIStyle.init(rawValue:)) ?? .public
        let projectKey = reader.pathIdentifier("projectKey", required: true, what: "an OpenReplay project key")
        let apiKey = reader.secret("apiKey", required: true)
        let userID = reader.string("userId")
        let pageSize = reader.int("pageSize", range: 1...(style == .legacy ? 200 : 1000)) ?? 200
        var filters: [Filter] = []
        var filtersOK = true
        for filter in reader.objectArray("filters") ?? [] {
            let name = filter.string("name") ?? filter.string("type")
            if filter.object["name"] == nil && filter.object["type"] == nil {
                filter.problem(
                    "name", "missing (required): the attribute to filter on, e.g. \"userId\" or \"METADATA\"")
            }
            let op = filter.string("operator", allowed: ["is", "contains"])
            if style == .legacy && op == "is" {
                // The legacy search has no operator field: it always matches "contains".
                filter.warning(
                    "operator", "the legacy API has no operator and always matches \"contains\"; \"is\" is not sent")
            }
            let values = filter.stringArray("value")
            if filter.object["value"] == nil {
                filter.problem("value", "missing (required): a list of values, e.g. [\"trial\"]")
            } else if values?.isEmpty == true {
                // The live-session service matches nothing for an empty list (the docs say "any value").
                filter.problem(
                    "value", "must list at least one value; an empty list matches no session on OpenReplay's server")
            }
            let source = filter.string("source")
            if name?.uppercased() == "METADATA" && source == nil {
                filter.problem("source", "missing: a METADATA filter names the metadata key in \"source\"")
            }
            filter.finish()
            if let name, let values, !values.isEmpty {
                filters.append(Filter(name: name, operator: op, values: values, source: source))
            } else {
                filtersOK = false
            }
        }
        guard let projectKey, let apiKey, filtersOK else { return nil }
        return OpenReplaySettings(
            apiStyle: style, projectKey: projectKey, apiKey: apiKey, filters: filters, userID: userID,
            pageSize: pageSize)
    }

    public static func == (lhs: OpenReplaySettings, rhs: OpenReplaySettings) -> Bool {
        lhs.apiStyle == rhs.apiStyle && lhs.projectKey == rhs.projectKey && lhs.filters == rhs.filters
            && lhs.userID == rhs.userID && lhs.pageSize == rhs.pageSize && lhs.apiKey.origin == rhs.apiKey.origin
    }
}
