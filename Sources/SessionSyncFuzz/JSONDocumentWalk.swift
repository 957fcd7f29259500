import SessionSyncSupport

/// The `json` target: parses the input and reads every value with every accessor, as mappers
/// do on hostile answers. Beyond "does not crash" it checks two round trips that the archive
/// relies on: a decoded string written back as JSON reads as the same string, and a finite
/// number written back as JSON reads as the same number.
enum JSONDocumentWalk {
    /// Computing a path walks the document from its root; doing it for every value would make
    /// large inputs quadratic and starve the fuzzer, so only the first values get one.
    private static let pathBudget = 64

    static func run(_ bytes: [UInt8]) {
        guard let document = try? JSONDocument(bytes: bytes) else { return }
        var pathsLeft = pathBudget
        visit(document.root, pathsLeft: &pathsLeft)
    }

    private static func visit(_ value: JSONValue, pathsLeft: inout Int) {
        _ = value.kind
        _ = value.isNull
        _ = value.rawText
        _ = value.rawBytes.count
        _ = value.bool
        _ = value.int
        _ = value.stringOrNumberText
        _ = value.count
        if pathsLeft > 0 {
            pathsLeft -= 1
            _ = value.path
        }
        if let string = value.string {
            checkStringRoundTrip(string)
        }
        if let time = value.timestamp {
            _ = time.iso8601
        }
        if let double = value.double {
            checkNumberRoundTrip(double)
            _ = value.int64
        }
        switch value.kind {
        case .object:
            for (key, member) in value.members {
                readMember(key, of: value)
                visit(member, pathsLeft: &pathsLeft)
            }
            _ = value["\u{0}absent"]
        case .array:
            for element in value.elements {
                visit(element, pathsLeft: &pathsLeft)
            }
        default:
            _ = value.members
            _ = value.elements.isEmpty
        }
    }

    /// Every typed member accessor the mappers use, on a member that exists.
    private static func readMember(_ key: String, of object: JSONValue) {
        _ = object[key]
        _ = try? object.require(key)
        _ = try? object.requireString(key)
        _ = try? object.requireID(key)
        _ = try? object.requireInt64(key)
        _ = try? object.requireDouble(key)
        _ = try? object.requireArray(key)
        _ = try? object.requireObject(key)
        _ = try? object.optionalString(key)
        _ = try? object.optionalID(key)
        _ = try? object.optionalInt64(key)
        _ = try? object.optionalDouble(key)
        _ = try? object.optionalBool(key)
        _ = try? object.optionalObject(key)
        _ = try? object.optionalArray(key)
    }

    private static func checkStringRoundTrip(_ string: String) {
        let written = JSONOutput.string(string).bytes
        guard let reread = try? JSONDocument(bytes: written) else {
            fatalError("JSONOutput wrote a string that JSONDocument cannot parse: \(written)")
        }
        guard reread.root.string == string else {
            fatalError(
                "a string changed in a JSON round trip: \(Array(string.utf8)) became \(Array((reread.root.string ?? "").utf8))"
            )
        }
    }

    private static func checkNumberRoundTrip(_ double: Double) {
        guard double.isFinite else { return }
        let written = JSONOutput.double(double).bytes
        guard let reread = try? JSONDocument(bytes: written), let value = reread.root.double else {
            fatalError(
                "JSONOutput wrote the number \(double) as \(String(decoding: written, as: UTF8.self)), which does not parse as a number"
            )
        }
        guard value == double else {
            fatalError("the number \(double) changed in a JSON round trip: \(value)")
        }
    }
}
