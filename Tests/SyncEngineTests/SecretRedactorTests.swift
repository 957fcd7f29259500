import SyncEngine
import Testing

@Suite("SecretRedactor masks configured values and echoed credentials, and nothing else")
struct SecretRedactorTests {
    static let key = "sk_live/4f1c+9a=Z"
    let redactor = SecretRedactor(values: [Self.key])

    @Test(
        "a configured value is masked as written, percent-encoded and JSON-escaped",
        arguments: [
            "token sk_live/4f1c+9a=Z refused",
            "GET /x?key=sk_live%2F4f1c%2B9a%3DZ failed",
            "GET /x?key=sk_live%2f4f1c%2b9a%3dZ failed",
            #"{"detail": "sk_live\/4f1c+9a=Z is revoked"}"#,
        ]
    )
    func configuredValue(text: String) {
        let redacted = redactor.redact(text)
        #expect(redacted.contains(SecretRedactor.mask))
        #expect(!redacted.contains("4f1c"))
    }

    @Test(
        "what follows an Authorization or api-key label, or the word Bearer, is masked even when not configured",
        arguments: [
            (
                "401: bad header Authorization: Bearer other-token-77 (expired)",
                "401: bad header Authorization: Bearer [redacted] (expired)"
            ),
            ("Authorization: other-token-77 is not valid", "Authorization: [redacted] is not valid"),
            (
                #"{"headers": {"authorization": "Basic b3RoZXI6eA==", "accept": "*/*"}}"#,
                #"{"headers": {"authorization": "Basic [redacted]", "accept": "*/*"}}"#
            ),
            (#"{\"x-api-key\":\"other-token-77\"}"#, #"{\"x-api-key\":\"[redacted]\"}"#),
            ("api-key=other-token-77&page=2", "api-key=[redacted]&page=2"),
            ("GET /v1?api_key=other-token-77", "GET /v1?api_key=[redacted]"),
            ("invalid bearer other-token-77, try again", "invalid bearer [redacted], try again"),
        ]
    )
    func labelledValue(text: String, expected: String) {
        #expect(SecretRedactor().redact(text) == expected)
    }

    @Test(
        "texts without secrets pass unchanged",
        arguments: [
            "sources[0].apiKey: environment variable YOURGPT_API_KEY is not set",
            "GET /v1/sessions answered HTTP 401 (the API key was refused: check the source's key)",
            "<secret from env OPENREPLAY_API_KEY>",
            "",
        ]
    )
    func untouched(text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test("redacting twice changes nothing more")
    func idempotent() {
        let once = redactor.redact("Authorization: Bearer sk_live/4f1c+9a=Z; api-key: x")
        #expect(once == "Authorization: Bearer [redacted]; api-key: [redacted]")
        #expect(redactor.redact(once) == once)
    }

    @Test("a value inside a longer configured value leaves nothing of the longer one")
    func nestedValues() {
        let nested = SecretRedactor(values: ["abc123", "abc123-extended"])
        #expect(nested.redact("k=abc123-extended.") == "k=[redacted].")
    }

    @Test("a redactor that adds another masks both sets of values")
    func adding() {
        let merged = SecretRedactor(values: ["first-key-1"]).adding(SecretRedactor(values: ["second-key-2"]))
        #expect(merged.redact("first-key-1 second-key-2") == "[redacted] [redacted]")
    }
}
