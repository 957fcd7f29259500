import PostgresArchive
import Testing

/// The JSON form both archives' values are compared in (``CanonicalJSON``), so that a SQLite
/// archive's text and PostgreSQL's jsonb of the same value digest the same.
@Suite("Canonical JSON: one spelling per value, as jsonb keeps it")
struct CanonicalJSONTests {
    @Test("key order and whitespace do not matter")
    func keyOrder() {
        #expect(CanonicalJSON.text(#"{"b":1, "a":2}"#) == CanonicalJSON.text(#"{"a":2,"b":1}"#))
        #expect(CanonicalJSON.text(#"{"b":1, "a":2}"#) == #"{"a":2,"b":1}"#)
        // jsonb's own output: keys shorter first, a space after colons and commas.
        #expect(
            CanonicalJSON.text(#"{"a": [1, {"d": null, "c": true}], "bb": "x"}"#)
                == #"{"a":[1,{"c":true,"d":null}],"bb":"x"}"#)
    }

    @Test("a changed value, key or type differs")
    func changedValue() {
        let original = CanonicalJSON.text(#"{"a":2,"b":1}"#)
        #expect(CanonicalJSON.text(#"{"a":2,"b":3}"#) != original)
        #expect(CanonicalJSON.text(#"{"a":2,"c":1}"#) != original)
        #expect(CanonicalJSON.text(#"{"a":2,"b":"1"}"#) != original)
        #expect(CanonicalJSON.text(#"[1,2]"#) != CanonicalJSON.text(#"[2,1]"#))
    }

    @Test(
        "numbers compare by exact decimal value",
        arguments: [
            ("100", "1e2"), ("1.0", "1"), ("-0", "0"), ("0.050", "5E-2"), ("12.5e+1", "125"),
            ("123456789012345678901234567890", "1.2345678901234567890123456789e29"),
        ])
    func numbers(_ pair: (String, String)) {
        #expect(CanonicalJSON.text(pair.0) == CanonicalJSON.text(pair.1))
    }

    @Test("numbers that differ past a Double's precision stay different")
    func precision() {
        #expect(CanonicalJSON.text("12345678901234567891") != CanonicalJSON.text("12345678901234567890"))
    }

    @Test("the last of duplicate keys is kept, as in jsonb")
    func duplicates() {
        #expect(CanonicalJSON.text(#"{"a":1,"a":2}"#) == CanonicalJSON.text(#"{"a":2}"#))
    }

    @Test("escapes are decoded; U+0000 and a lone surrogate read as U+FFFD, as PostgreSQL stores them")
    func strings() {
        #expect(CanonicalJSON.text(#"["\u00e9\/"]"#) == CanonicalJSON.text("[\"é/\"]"))
        #expect(CanonicalJSON.text(#"["a\u0000b"]"#) == CanonicalJSON.text(#"["a\ufffdb"]"#))
        #expect(CanonicalJSON.text(#"["\ud800"]"#) == CanonicalJSON.text(#"["\ufffd"]"#))
        #expect(CanonicalJSON.text(#"["\n"]"#) == #"["\n"]"#)
    }

    @Test("invalid JSON has no canonical form")
    func invalid() {
        #expect(CanonicalJSON.text(#"{"a":"#) == nil)
    }
}
