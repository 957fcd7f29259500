/// Collects the ``SchemaDrift`` of one answer while it is mapped: each field once, with a count.
public struct SchemaDriftLog: Sendable {
    public let endpoint: String
    private var byField: [String: SchemaDrift] = [:]
    private var order: [String] = []

    /// The longest sample of a drifted value kept: enough to recognise it, never a whole payload.
    public static let sampleLength = 120

    public init(endpoint: String) {
        self.endpoint = endpoint
    }

    /// Records that `value` was not `expected`.
    public mutating func record(_ value: JSONValue, expected: String) {
        let path = Self.rowPath(value.path)
        let key = path + "\u{0}" + expected
        if byField[key] != nil {
            byField[key]?.count += 1
            byField[key]?.found = Self.sample(value)
            return
        }
        order.append(key)
        byField[key] = SchemaDrift(endpoint: endpoint, path: path, expected: expected, found: Self.sample(value))
    }

    /// Everything recorded, in the order first seen.
    public var drifts: [SchemaDrift] {
        order.compactMap { byField[$0] }
    }

    /// `data.sessions[3].meta[0].x` → `data.sessions[].meta[].x`.
    static func rowPath(_ path: String) -> String {
        var result = ""
        var inIndex = false
        for character in path {
            if character == "[" {
                inIndex = true
                result.append("[")
            } else if character == "]" {
                inIndex = false
                result.append("]")
            } else if !inIndex {
                result.append(character)
            }
        }
        return result
    }

    /// `a number: 840`, `a string: "Jan 5"`, `an object` (containers are not sampled: they may be large).
    static func sample(_ value: JSONValue) -> String {
        switch value.kind {
        case .array, .object, .null: return value.kind.description
        case .bool, .number, .string:
            let text = value.rawText
            let short = text.count > sampleLength ? String(text.prefix(sampleLength)) + "…" : text
            return "\(value.kind): \(short)"
        }
    }
}
