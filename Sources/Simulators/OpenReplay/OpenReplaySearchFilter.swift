import SessionSyncSupport

/// One filter of a search request, as each API generation reads and matches it.
///
/// v2 (apis.md 1.3): `name` is a known attribute or else a metadata key; `metadata_x` uses
/// `source` as the key; `is` is exact and case-sensitive, anything else a case-insensitive
/// substring match; values are OR-ed; an empty value list matches nothing. Legacy: `type` is
/// case-insensitive, matching is always a case-insensitive substring, and a filter with no
/// values is dropped.
struct OpenReplaySearchFilter {
    /// The name the response's `counter` uses.
    let label: String
    let values: [String]
    let exact: Bool
    let attribute: (OpenReplayLiveSession) -> String?

    func matches(_ session: OpenReplayLiveSession) -> Bool {
        guard let field = attribute(session) else { return false }
        return values.contains { value in exact ? field == value : field.lowercased().contains(value.lowercased()) }
    }

    enum ParseError: Error {
        /// A v2 filter without `name`: the proxy's unchecked type assertion fails.
        case crashed
        /// A legacy validation error: FastAPI's `{"loc", "msg", "type"}`.
        case invalid(loc: [JSONOutput], message: String, type: String)
    }

    static func parsePublic(_ filters: JSONValue?) throws(ParseError) -> [OpenReplaySearchFilter] {
        guard let filters, filters.kind == .array else { return [] }
        var result: [OpenReplaySearchFilter] = []
        for filter in filters.elements {
            guard let name = filter["name"]?.string else { throw .crashed }
            let values = filter["value"]?.elements.compactMap(\.string) ?? []
            let exact = filter["operator"]?.string == "is"
            let attribute: (OpenReplayLiveSession) -> String?
            if name.hasPrefix("metadata_") {
                let key = filter["source"]?.string ?? ""
                attribute = { $0.metadata[key] }
            } else {
                attribute = { $0.publicAttribute(name) }
            }
            result.append(OpenReplaySearchFilter(label: name, values: values, exact: exact, attribute: attribute))
        }
        return result
    }

    static func parseLegacy(_ filters: JSONValue?) throws(ParseError) -> [OpenReplaySearchFilter] {
        guard let filters else { return [] }
        guard filters.kind == .array else {
            throw .invalid(
                loc: [.string("body"), .string("filters")], message: "value is not a valid list",
                type: "type_error.list")
        }
        var result: [OpenReplaySearchFilter] = []
        for (index, filter) in filters.elements.enumerated() {
            let type = filter["type"]?.string?.uppercased()
            guard let type, OpenReplayLiveSession.legacyTypes.contains(type) else {
                let permitted = OpenReplayLiveSession.legacyTypes.map { "'\($0)'" }.joined(separator: ", ")
                throw .invalid(
                    loc: [.string("body"), .string("filters"), .int(Int64(index)), .string("type")],
                    message: filter["type"] == nil
                        ? "field required" : "value is not a valid enumeration member; permitted: \(permitted)",
                    type: filter["type"] == nil ? "value_error.missing" : "type_error.enum"
                )
            }
            let values = filter["value"]?.elements.compactMap(\.string) ?? []
            if values.isEmpty { continue }
            let source = filter["source"]?.string
            result.append(
                OpenReplaySearchFilter(
                    label: type, values: values, exact: false, attribute: { $0.legacyAttribute(type, source: source) }))
        }
        return result
    }
}
