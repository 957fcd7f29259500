import SessionSyncSupport
import SyncEngine

/// YourGPT's answer envelope: `{"type": "RXSUCCESS" | "RXERROR", "message", "data"}`.
enum YourGPTEnvelope {
    /// The parsed body of a successful answer; an RXERROR (even with HTTP 200) is an error.
    static func checked(_ response: APIResponse) throws -> JSONDocument {
        let document = try response.json()
        if document.root["type"]?.string == "RXERROR" {
            let message = document.root["message"]?.string ?? "no message"
            throw SyncError.providerError(endpoint: response.endpoint, message: "RXERROR: \(message)")
        }
        return document
    }

    /// The message of an RXERROR body, for error statuses.
    static func errorMessage(_ body: [UInt8]) -> String? {
        guard let document = try? JSONDocument(bytes: body), document.root["type"]?.string == "RXERROR" else {
            return nil
        }
        return "RXERROR: " + (document.root["message"]?.string ?? "no message")
    }
}
