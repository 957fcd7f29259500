/// A parsed JSON text that keeps its bytes: every value can be read as a typed Swift value or
/// as the exact text it came from (so `raw` columns hold the payload verbatim).
///
/// Parsing builds a flat tape of nodes (one allocation, no tree of boxes); strings and numbers
/// are decoded only when asked for. A node's JSON path is worked out only when an error needs it.
public struct JSONDocument: Sendable {
    /// 12 bytes: kind and the escapes flag share a word with `next`, so that a body of tiny
    /// values (`[0,0,0,...]`, one value per 2 bytes) costs at most 6 times its size parsed.
    struct Node: Sendable {
        /// Byte range of the value (for strings, including the quotes).
        var start: UInt32
        var end: UInt32
        /// `next` in the low 28 bits, the kind in the 3 above, the escapes flag on top.
        private var packed: UInt32

        /// Documents hold fewer nodes than bytes, and bytes are limited to this.
        static let maximumIndex = (1 << 28) - 1

        init(kind: JSONKind, hasEscapes: Bool, start: UInt32, end: UInt32, next: UInt32) {
            self.start = start
            self.end = end
            self.packed = 0
            self.kind = kind
            self.hasEscapes = hasEscapes
            self.next = next
        }

        var kind: JSONKind {
            get { JSONKind(rawValue: UInt8((packed >> 28) & 0x7)) ?? .null }
            set { packed = (packed & ~(0x7 << 28)) | (UInt32(newValue.rawValue) << 28) }
        }

        /// For strings: the text contains escapes and must be decoded, not copied.
        var hasEscapes: Bool {
            get { packed & (1 << 31) != 0 }
            set { packed = newValue ? packed | (1 << 31) : packed & ~(1 << 31) }
        }

        /// Index of the node after this value's subtree: children are `index+1 ..< next`.
        var next: UInt32 {
            get { packed & 0x0FFF_FFFF }
            set { packed = (packed & 0xF000_0000) | (newValue & 0x0FFF_FFFF) }
        }
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

    /// Bytes this document holds: its text and its tape, with the tape's spare capacity.
    public var storageBytes: Int {
        bytes.capacity + nodes.capacity * MemoryLayout<Node>.stride
    }

    /// True when both documents are the same text, byte for byte (most differ in size or
    /// within their first bytes, so this is cheap).
    public func hasSameText(as other: JSONDocument) -> Bool {
        bytes == other.bytes
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
