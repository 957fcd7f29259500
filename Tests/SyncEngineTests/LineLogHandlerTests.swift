import Logging
import SessionSyncTesting
import SyncEngine
import Testing

@Suite("LineLogHandler writes no secret, whatever a component logs")
struct LineLogHandlerTests {
    @Test("the message, the source and run fields and every metadata value are redacted")
    func redacted() {
        let logs = LogCapture(redactor: SecretRedactor(values: ["log-key-31f2"]))
        var logger = logs.logger
        logger[metadataKey: "source"] = "log-key-31f2"
        logger.error(
            "request failed with log-key-31f2",
            metadata: [
                "error": "GET /x answered HTTP 401: bad key log-key-31f2", "http.header": "x-api-key: unconfigured-9",
            ]
        )
        #expect(!logs.text.contains("log-key-31f2"), "\(logs.text)")
        #expect(!logs.text.contains("unconfigured-9"), "\(logs.text)")
        #expect(logs.text.contains("source=[redacted]"), "\(logs.text)")
        #expect(logs.text.contains(": request failed with [redacted]"), "\(logs.text)")
        #expect(logs.text.contains(#"error="GET /x answered HTTP 401: bad key [redacted]""#), "\(logs.text)")
        #expect(logs.text.contains(#"http.header="x-api-key: [redacted]""#), "\(logs.text)")
    }
}
