/// Builds a ``JSONDocument``'s tape: a strict RFC 8259 parser (no comments, no trailing commas,
/// no NaN), with a depth limit so hostile input cannot exhaust the stack.
struct JSONParser {
    private let bytes: [UInt8]
    private let maximumDepth: Int
    private var position = 0
    private var nodes: [JSONDocument.Node] = []

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// The most nodes a valid document of this size can have: every value but the last takes at
    /// least one byte and a separator. The tape never grows past it, so that a body of tiny values
    /// costs at most this many 12-byte nodes (6 times its size), not a doubling beyond.
    private var maximumNodes: Int {
        bytes.count / 2 + 2
    }

    mutating func parseDocument() throws(JSONParseError) -> [JSONDocument.Node] {
        guard bytes.count < JSONDocument.Node.maximumIndex else {
            throw JSONParseError(offset: 0, message: "document larger than 256 MiB")
        }
        nodes.reserveCapacity(min(max(16, bytes.count / 12), maximumNodes))
        skipWhitespace()
        if position == bytes.count {
            throw JSONParseError(offset: 0, message: "empty document", isTruncated: true)
        }
        try parseValue(depth: 0)
        skipWhitespace()
        if position != bytes.count {
            throw JSONParseError(
                offset: position, message: "unexpected \(describe(bytes[position])) after the top-level value")
        }
        return nodes
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) {
        guard position < bytes.count else { throw truncated("expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): try parseObject(depth: depth)
        case UInt8(ascii: "["): try parseArray(depth: depth)
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "t"): try parseLiteral("true", kind: .bool)
        case UInt8(ascii: "f"): try parseLiteral("false", kind: .bool)
        case UInt8(ascii: "n"): try parseLiteral("null", kind: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        default:
            throw JSONParseError(
                offset: position, message: "unexpected \(describe(bytes[position])) where a value should start")
        }
    }

    private mutating func beginNode(_ kind: JSONKind) throws(JSONParseError) -> Int {
        if nodes.count == nodes.capacity {
            guard nodes.count < maximumNodes else {
                throw JSONParseError(
                    offset: position, message: "more values than a document of \(bytes.count) bytes can hold")
            }
            nodes.reserveCapacity(min(nodes.capacity * 2, maximumNodes))
        }
        nodes.append(JSONDocument.Node(kind: kind, hasEscapes: false, start: UInt32(position), end: 0, next: 0))
        return nodes.count - 1
    }

    private mutating func finishNode(_ index: Int) {
        nodes[index].end = UInt32(position)
        nodes[index].next = UInt32(nodes.count)
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) {
        guard depth < maximumDepth else {
            throw JSONParseError(offset: position, message: "nesting deeper than \(maximumDepth)")
        }
        let index = try beginNode(.object)
        position += 1
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            position += 1
            finishNode(index)
            return
        }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else {
                throw JSONParseError(
                    offset: position, message: "expected a member name in quotes, found \(describe(bytes[position]))")
            }
            try parseString()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else {
                throw JSONParseError(
                    offset: position, message: "expected ':' after a member name, found \(describe(bytes[position]))")
            }
            position += 1
            skipWhitespace()
            try parseValue(depth: depth + 1)
            skipWhitespace()
            let separator = try peek()
            position += 1
            if separator == UInt8(ascii: "}") { break }
            guard separator == UInt8(ascii: ",") else {
                throw JSONParseError(
                    offset: position - 1, message: "expected ',' or '}' in an object, found \(describe(separator))")
            }
        }
        finishNode(index)
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) {
        guard depth < maximumDepth else {
            throw JSONParseError(offset: position, message: "nesting deeper than \(maximumDepth)")
        }
        let index = try beginNode(.array)
        position += 1
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            position += 1
            finishNode(index)
            return
        }
        while true {
            skipWhitespace()
            try parseValue(depth: depth + 1)
            skipWhitespace()
            let separator = try peek()
            position += 1
            if separator == UInt8(ascii: "]") { break }
            guard separator == UInt8(ascii: ",") else {
                throw JSONParseError(
                    offset: position - 1, message: "expected ',' or ']' in an array, found \(describe(separator))")
            }
        }
        finishNode(index)
    }

    private mutating func parseString() throws(JSONParseError) {
        let index = try beginNode(.string)
        let scanned = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
            try Self.scanString(buffer, openingQuote: position)
        }
        position = scanned.end
        nodes[index].hasEscapes = scanned.hasEscapes
        finishNode(index)
    }

    /// Finds the end of the string whose opening quote is at `start`, checking its escapes.
    private static func scanString(
        _ buffer: UnsafeBufferPointer<UInt8>,
        openingQuote start: Int
    ) throws(JSONParseError) -> (end: Int, hasEscapes: Bool) {
        var position = start + 1
        var escapes = false
        let count = buffer.count
        while position < count {
            let byte = buffer[position]
            if byte == UInt8(ascii: "\"") {
                return (position + 1, escapes)
            }
            if byte == UInt8(ascii: "\\") {
                escapes = true
                position += 1
                guard position < count else { break }
                switch buffer[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    guard position + 4 < count else {
                        position = count
                        continue
                    }
                    for offset in 1...4 where !buffer[position + offset].isHexDigit {
                        throw JSONParseError(offset: position + offset, message: "bad \\u escape in a string")
                    }
                    position += 5
                default:
                    throw JSONParseError(offset: position, message: "unknown escape character in a string")
                }
                continue
            }
            if byte < 0x20 {
                throw JSONParseError(offset: position, message: "unescaped control character in a string")
            }
            position += 1
        }
        throw JSONParseError(offset: count, message: "unterminated string", isTruncated: true)
    }

    private mutating func parseNumber() throws(JSONParseError) {
        let index = try beginNode(.number)
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw truncated("number ends after '-'") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else if bytes[position].isDigit {
            while position < bytes.count && bytes[position].isDigit { position += 1 }
        } else {
            throw JSONParseError(offset: position, message: "expected a digit in a number")
        }
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            position += 1
            let digitsStart = position
            while position < bytes.count && bytes[position].isDigit { position += 1 }
            guard position > digitsStart else {
                throw position == bytes.count
                    ? truncated("number ends after '.'")
                    : JSONParseError(offset: position, message: "expected a digit after '.'")
            }
        }
        if position < bytes.count && (bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")) {
            position += 1
            if position < bytes.count && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-"))
            {
                position += 1
            }
            let digitsStart = position
            while position < bytes.count && bytes[position].isDigit { position += 1 }
            guard position > digitsStart else {
                throw position == bytes.count
                    ? truncated("number ends in its exponent")
                    : JSONParseError(offset: position, message: "expected a digit in an exponent")
            }
        }
        finishNode(index)
    }

    private mutating func parseLiteral(_ literal: StaticString, kind: JSONKind) throws(JSONParseError) {
        let index = try beginNode(kind)
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in expected {
            guard position < bytes.count else { throw truncated("incomplete literal") }
            guard bytes[position] == byte else {
                throw JSONParseError(offset: position, message: "unexpected \(describe(bytes[position])) in a literal")
            }
            position += 1
        }
        finishNode(index)
    }

    private func peek() throws(JSONParseError) -> UInt8 {
        guard position < bytes.count else { throw truncated("unexpected end of input") }
        return bytes[position]
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private func truncated(_ message: String) -> JSONParseError {
        JSONParseError(offset: bytes.count, message: message, isTruncated: true)
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}

extension UInt8 {
    var isDigit: Bool {
        self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9")
    }

    var isHexDigit: Bool {
        isDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
    }
}
