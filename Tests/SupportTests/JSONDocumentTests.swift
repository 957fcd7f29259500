import SessionSyncSupport
import Testing

@Suite("JSONDocument parses, keeps raw text and names paths")
struct JSONDocumentTests {
    @Test("scalars, containers and escapes decode")
    func decodes() throws {
        let document = try JSONDocument(
            text:
                #"{"s":"a\"b\\c\/\n\u00e9\ud83d\ude80","i":-42,"big":9223372036854775807,"d":1.5e2,"t":true,"f":false,"n":null,"a":[1,[2],{}],"o":{"k":"v"}}"#
        )
        let root = document.root
        #expect(root["s"]?.string == "a\"b\\c/\né🚀")
        #expect(root["i"]?.int64 == -42)
        #expect(root["big"]?.int64 == Int64.max)
        #expect(root["d"]?.double == 150)
        #expect(root["d"]?.int64 == 150)
        #expect(root["t"]?.bool == true)
        #expect(root["f"]?.bool == false)
        #expect(root["n"]?.isNull == true)
        #expect(root["a"]?.count == 3)
        #expect(root["a"]?.elements.map(\.rawText) == ["1", "[2]", "{}"])
        #expect(root["o"]?["k"]?.string == "v")
        #expect(root["missing"] == nil)
        #expect(root.members.map(\.key) == ["s", "i", "big", "d", "t", "f", "n", "a", "o"])
    }

    @Test(
        "a body of the tiniest values costs under 8 times its size parsed, and reads back whole",
        arguments: [
            "[" + Array(repeating: "0", count: 500_000).joined(separator: ",") + "]",
            "{" + (0..<200_000).map { _ in #""":0"# }.joined(separator: ",") + "}",
            "[" + Array(repeating: "[]", count: 300_000).joined(separator: ",") + "]",
        ]
    )
    func boundedTape(text: String) throws {
        let bytes = Array(text.utf8)
        let document = try JSONDocument(bytes: bytes)
        #expect(document.storageBytes < 8 * bytes.count, "\(document.storageBytes) bytes for a body of \(bytes.count)")
        let count = document.root.count
        #expect(count == 500_000 || count == 200_000 || count == 300_000)
        #expect(document.root.rawText.utf8.count == bytes.count)
    }

    @Test(
        "kinds, flags and subtree links survive the packed tape",
        arguments: [#"["a\nb", true, null, {"k": [1.5, "x"]}, false]"#])
    func packedTape(text: String) throws {
        let root = try JSONDocument(text: text).root
        #expect(root.elements.map(\.kind) == [.string, .bool, .null, .object, .bool])
        let elements = Array(root.elements)
        #expect(elements[0].string == "a\nb")
        #expect(elements[3]["k"]?.elements.map(\.rawText) == ["1.5", #""x""#])
    }

    @Test("raw text is the exact slice of the input")
    func rawText() throws {
        let text = #"{"data": {"sessions": [ {"id" : 1,  "x": [1, 2]} , {"id":2} ]}}"#
        let document = try JSONDocument(text: text)
        let sessions = try #require(document.root["data"]?["sessions"])
        #expect(sessions.elements.map(\.rawText) == [#"{"id" : 1,  "x": [1, 2]}"#, #"{"id":2}"#])
    }

    @Test("paths name where a value sits")
    func paths() throws {
        let document = try JSONDocument(text: #"{"data":{"sessions":[{"a":1},{"timestamp":"x"}]}}"#)
        let second = try #require(document.root["data"]?["sessions"]?.elements.dropFirst().first(where: { _ in true }))
        #expect(second.path == "data.sessions[1]")
        let error = try #require(throws: JSONShapeError.self) { try second.requireInt64("timestamp") }
        #expect(error.description == "data.sessions[1].timestamp: expected an integer, found a string")
        let missing = try #require(throws: JSONShapeError.self) { try second.require("sessionID") }
        #expect(missing.description == #"data.sessions[1]: missing member "sessionID""#)
        #expect(document.root.path == "$")
    }

    static let malformed: [(String, Bool)] = [
        ("", true),
        ("{", true),
        (#"{"a":1"#, true),
        (#"{"a":"unterminated"#, true),
        ("[1,2", true),
        ("tru", true),
        (#"{"a":1,}"#, false),
        ("[1 2]", false),
        (#"{'a':1}"#, false),
        ("01", false),
        ("1.", true),
        ("NaN", false),
        (#"{"a":1} x"#, false),
        ("\"\u{1}\"", false),
        (#""\x""#, false),
    ]

    @Test("malformed and truncated input is rejected with an offset", arguments: malformed)
    func rejects(text: String, truncated: Bool) {
        let error = #expect(throws: JSONParseError.self) { try JSONDocument(text: text) }
        #expect(error?.isTruncated == truncated)
    }

    @Test("deep nesting is refused instead of overflowing the stack")
    func depthLimit() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONDocument(text: text) }
    }

    @Test("JSONOutput writes valid JSON that parses back")
    func output() throws {
        let value = JSONOutput.object([
            ("text", .string("quote \" backslash \\ newline \n tab \t control \u{1} unicode ż")),
            ("int", .int(-7)),
            ("double", .double(0.25)),
            ("whole", .double(3)),
            ("null", .null),
            ("list", .array([.bool(true), .raw(#"{"x":1}"#)])),
        ])
        let document = try JSONDocument(text: value.text)
        #expect(document.root["text"]?.string == "quote \" backslash \\ newline \n tab \t control \u{1} unicode ż")
        #expect(document.root["int"]?.int64 == -7)
        #expect(document.root["double"]?.double == 0.25)
        #expect(document.root["whole"]?.rawText == "3")
        #expect(document.root["list"]?.elements.map(\.rawText) == ["true", #"{"x":1}"#])
    }
}
