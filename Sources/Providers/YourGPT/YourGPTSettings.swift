import SessionSyncSupport
import SyncEngine

/// The keys of a `yourgpt` source.
public struct YourGPTSettings: ProviderSettings {
    /// One `filter` entry, sent as `{"model": "SESSION", "key", "operator", "value"}`.
    public struct Filter: Sendable, Equatable {
        public var key: String
        public var `operator`: String
        /// A string, or a list for `in` / `notIn`.
        public var value: Value

        public enum Value: Sendable, Equatable {
            case single(String)
            case list([String])
        }
    }

    public var apiKey: Secret
    public var messages: Bool
    public var pageSize: Int
    public var filters: [Filter]
    public var viewID: Int?

    static let filterKeys: [String: [String]?] = [
        "integration": [
            "web", "whatsapp", "telegram", "messenger", "instagram", "line", "discord", "slack", "intercom", "crisp",
            "email", "twilio_sms", "twilio_voice", "twilio_whatsapp", "phone", "web_voice", "browser_extension",
        ],
        "chat_mode": ["bot", "awaiting", "operator"],
        "state": ["pending", "unresolved", "resolved", "closed"],
        "contact_id": nil,
        "visitor_id": nil,
    ]
    static let operators = ["eq", "ne", "gt", "gte", "lt", "lte", "startsWith", "endsWith", "in", "notIn"]

    static func read(_ reader: ConfigObjectReader) -> YourGPTSettings? {
        let apiKey = reader.secret("apiKey", required: true)
        let messages = reader.bool("messages") ?? false
        let pageSize = reader.int("pageSize", range: 1...100) ?? 100
        let viewID = reader.int("viewId", range: 1...Int(Int32.max))
        var filters: [Filter] = []
        var filtersOK = true
        for filter in reader.objectArray("filter") ?? [] {
            if let model = filter.string("model"), model != "SESSION" {
                filter.problem("model", "\"\(model)\" is not supported; the only model is \"SESSION\"")
            }
            let key = filter.string("key", required: true, allowed: filterKeys.keys.sorted())
            let op = filter.string("operator", required: true, allowed: operators)
            var value: Filter.Value?
            if let raw = filter.value("value", required: true) {
                let isList = op == "in" || op == "notIn"
                if isList {
                    if let list = filter.stringArray("value"), !list.isEmpty {
                        value = .list(list)
                    } else if raw.kind == .array {
                        filter.problem("value", "must list at least one value for \(op ?? "")")
                    }
                } else if let single = raw.string ?? (raw.kind == .number ? raw.rawText : nil) {
                    value = .single(single)
                } else {
                    filter.problem("value", "expected a string for operator \(op ?? "?"), found \(raw.kind)")
                }
                if let key, let allowed = filterKeys[key] ?? nil, let value {
                    let values: [String] =
                        switch value {
                        case .single(let v): [v]
                        case .list(let vs): vs
                        }
                    for bad in values where !allowed.contains(bad) && (op == "eq" || op == "ne" || isList) {
                        filter.problem(
                            "value", "\"\(bad)\" is not a \(key); accepted: \(allowed.joined(separator: ", "))")
                    }
                }
            }
            filter.finish()
            if let key, let op, let value {
                filters.append(Filter(key: key, operator: op, value: value))
            } else {
                filtersOK = false
            }
        }
        guard let apiKey, filtersOK else { return nil }
        return YourGPTSettings(apiKey: apiKey, messages: messages, pageSize: pageSize, filters: filters, viewID: viewID)
    }
}
