/// A parsed JSON text that keeps its bytes: every value can be read as a typed Swift value or
/// as the exact text it came from (so `raw` columns hold the payload verbatim).
///
/// Parsing builds a flat tape of nodes (one allocation, no tree of boxes); strings and numbers
/// are decoded only when asked for. A node's JSON path is worked out only when an error needs it.
public struct JSONDocument: Sendable {
    struct Node: Sendable {
        var kind: JSONKind
        /// For strings: the text contains escapes and must be decoded, not copied.
        var hasEscapes: Bool
        /// Byte range of the value (for strings, including the quotes).
        var start: UInt32
        var end: UInt32
        /// Index of the node after this value's subtree: children are `index+1 ..< next`.
        var next: UInt32
    }

    let bytes: [UInt8]
    let nodes: [Node]

    /// Parses `bytes`; throws a ``JSONParseError`` naming the byte offset of the first problem.
    public init(bytes: [UInt8], maximumDepth: Int = 256) throws(JSONParseError) {
        var parser = JSONParser(bytes: bytes, maximumDepth: maximumDepth)
        self.nodes = try parser.parseDocument()
        self.bytes = bytes
    }

    public init(text: String) throws(JSONParseError) {
        try self.init(bytes: Array(text.utf8))
    }

    /// The top-level value.
    public var root: JSONValue {
        JSONValue(document: self, index: 0)
    }

    /// The JSON path of node `index`, e.g. `data.sessions[3].timestamp` (`$` for the root).
    func path(of target: Int) -> String {
        var components: [String] = []
        var index = 0
        while index != target {
            let node = nodes[index]
            var child = index + 1
            var position = 0
            var found = false
            while child < Int(node.next) {
                let valueIndex = node.kind == .object ? child + 1 : child
                let valueEnd = Int(nodes[valueIndex].next)
                if target >= child && target < valueEnd {
                    if node.kind == .object {
                        let key = JSONValue(document: self, index: child).string ?? "?"
                        components.append(key)
                    } else {
                        components.append("[\(position)]")
                    }
                    // Landing on a key means the target is the key itself; report its member.
                    index = target == child ? target : valueIndex
                    found = true
                    break
                }
                child = valueEnd
                position += 1
            }
            if !found { break }
        }
        var path = ""
        for component in components {
            if component.hasPrefix("[") {
                path += component
            } else {
                path += path.isEmpty ? component : "." + component
            }
        }
        return path.isEmpty ? "$" : path
    }
}

/// The type of a JSON value.
public enum JSONKind: UInt8, Sendable, CustomStringConvertible {
    case null, bool, number, string, array, object

    public var description: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
