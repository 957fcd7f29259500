import SessionSyncSupport

/// isnotai's error envelope, `{"error": {"code", "message", "details"}}`, on every non-2xx answer.
enum IsNotAIErrorEnvelope {
    /// `CODE: message (details: {...})`, or nil when the body is not the envelope.
    static func message(_ body: [UInt8]) -> String? {
        guard let document = try? JSONDocument(bytes: body), let error = document.root["error"], error.kind == .object
        else {
            return nil
        }
        let code = error["code"]?.string
        let message = error["message"]?.string
        guard code != nil || message != nil else { return nil }
        var text = [code, message].compactMap { $0 }.joined(separator: ": ")
        if let details = error["details"], details.kind == .object, details.count > 0 {
            text += " (details: \(details.rawText))"
        }
        return text
    }
}
