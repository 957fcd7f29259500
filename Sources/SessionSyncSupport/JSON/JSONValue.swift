#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One value inside a ``JSONDocument``: cheap to copy, read on demand.
///
/// The optional accessors (`string`, `int64`, ...) answer nil for a missing or differently typed
/// value; the `require…` accessors throw a ``JSONShapeError`` naming the value's JSON path, for
/// fields a mapping cannot do without.
public struct JSONValue: Sendable {
    let document: JSONDocument
    let index: Int

    init(document: JSONDocument, index: Int) {
        self.document = document
        self.index = index
    }

    private var node: JSONDocument.Node {
        document.nodes[index]
    }

    public var kind: JSONKind {
        node.kind
    }

    public var isNull: Bool {
        node.kind == .null
    }

    /// This value's JSON path in its document, e.g. `data.sessions[3].timestamp`.
    public var path: String {
        document.path(of: index)
    }

    /// The exact text of this value in the document.
    public var rawText: String {
        let node = node
        return document.bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(node.start)..<Int(node.end)]), as: UTF8.self)
        }
    }

    /// The exact bytes of this value in the document.
    public var rawBytes: ArraySlice<UInt8> {
        let node = node
        return document.bytes[Int(node.start)..<Int(node.end)]
    }

    // MARK: Containers

    /// The member named `key` of an object (nil for a missing member or a non-object).
    public subscript(key: String) -> JSONValue? {
        guard node.kind == .object else { return nil }
        var key = key
        return key.withUTF8 { wanted in
            var child = index + 1
            let end = Int(node.next)
            while child < end {
                let valueIndex = child + 1
                if keyEquals(child, wanted) {
                    return JSONValue(document: document, index: valueIndex)
                }
                child = Int(document.nodes[valueIndex].next)
            }
            return nil
        }
    }

    private func keyEquals(_ keyIndex: Int, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        let keyNode = document.nodes[keyIndex]
        if keyNode.hasEscapes {
            return JSONValue(document: document, index: keyIndex).string?.utf8.elementsEqual(wanted) ?? false
        }
        let start = Int(keyNode.start) + 1
        let length = Int(keyNode.end) - 1 - start
        guard length == wanted.count else { return false }
        return document.bytes.withUnsafeBufferPointer { buffer in
            guard length > 0 else { return true }
            return memcmp(buffer.baseAddress! + start, wanted.baseAddress!, length) == 0
        }
    }

    /// The members of an object, in document order (empty for a non-object).
    public var members: [(key: String, value: JSONValue)] {
        guard node.kind == .object else { return [] }
        var result: [(key: String, value: JSONValue)] = []
        var child = index + 1
        let end = Int(node.next)
        while child < end {
            let key = JSONValue(document: document, index: child).string ?? ""
            let value = JSONValue(document: document, index: child + 1)
            result.append((key, value))
            child = Int(document.nodes[child + 1].next)
        }
        return result
    }

    /// The elements of an array (empty for a non-array).
    public var elements: JSONElements {
        JSONElements(document: document, first: index + 1, end: node.kind == .array ? Int(node.next) : index + 1)
    }

    /// Number of elements of an array, or members of an object.
    public var count: Int {
        guard node.kind == .array || node.kind == .object else { return 0 }
        var total = 0
        var child = index + 1
        let end = Int(node.next)
        while child < end {
            total += 1
            child = node.kind == .object ? Int(document.nodes[child + 1].next) : Int(document.nodes[child].next)
        }
        return total
    }

    // MARK: Scalars

    /// The decoded text of a string value.
    public var string: String? {
        let node = node
        guard node.kind == .string else { return nil }
        let start = Int(node.start) + 1
        let end = Int(node.end) - 1
        return document.bytes.withUnsafeBufferPointer { buffer in
            let content = UnsafeBufferPointer(rebasing: buffer[start..<end])
            return node.hasEscapes ? JSONStringDecoder.decode(content) : String(decoding: content, as: UTF8.self)
        }
    }

    public var bool: Bool? {
        guard node.kind == .bool else { return nil }
        return document.bytes[Int(node.start)] == UInt8(ascii: "t")
    }

    /// An integral number that fits in 64 bits (`12`, `-3`, also `12.0` and `1e3`).
    public var int64: Int64? {
        let node = node
        guard node.kind == .number else { return nil }
        var value: Int64 = 0
        var negative = false
        var position = Int(node.start)
        let end = Int(node.end)
        let bytes = document.bytes
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        while position < end, bytes[position].isDigit {
            let digit = Int64(bytes[position] &- UInt8(ascii: "0"))
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) =
                negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = sum
            position += 1
        }
        if position == end { return value }
        // A fraction or exponent: integral only if the double says so exactly.
        guard let double = self.double, double.rounded() == double, abs(double) < 9.2e18 else { return nil }
        return Int64(double)
    }

    public var int: Int? {
        int64.map { Int($0) }
    }

    public var double: Double? {
        guard node.kind == .number else { return nil }
        return Double(rawText)
    }

    /// A string holding an ISO-8601 date-time, read without building a `String` first.
    public var timestamp: Timestamp? {
        let node = node
        guard node.kind == .string else { return nil }
        if node.hasEscapes { return string.flatMap(Timestamp.init(iso8601:)) }
        return document.bytes.withUnsafeBufferPointer { buffer in
            Timestamp(iso8601Bytes: UnsafeBufferPointer(rebasing: buffer[(Int(node.start) + 1)..<(Int(node.end) - 1)]))
        }
    }

    /// A string, or a whole number written in digits, as text: an id, which some API revisions
    /// send as a number. `1e19`, `1.5` or `1e308` are numbers, but no id: two different records
    /// could carry the same such text, so they are refused.
    public var idText: String? {
        switch node.kind {
        case .string: return string
        case .number:
            let bytes = rawBytes
            let digits = bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
            return !digits.isEmpty && digits.allSatisfy(\.isDigit) ? rawText : nil
        default: return nil
        }
    }

    /// A string or a number, as text: for ids that some API revisions send as numbers.
    public var stringOrNumberText: String? {
        switch node.kind {
        case .string: string
        case .number: rawText
        default: nil
        }
    }
}

/// The elements of a JSON array, iterated without building an intermediate array.
public struct JSONElements: Sequence, Sendable {
    let document: JSONDocument
    let first: Int
    let end: Int

    public struct Iterator: IteratorProtocol {
        let document: JSONDocument
        var current: Int
        let end: Int

        public mutating func next() -> JSONValue? {
            guard current < end else { return nil }
            let value = JSONValue(document: document, index: current)
            current = Int(document.nodes[current].next)
            return value
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(document: document, current: first, end: end)
    }

    public var isEmpty: Bool {
        first >= end
    }
}
