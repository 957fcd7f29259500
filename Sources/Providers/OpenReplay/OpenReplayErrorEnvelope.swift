import SessionSyncSupport

/// OpenReplay's error bodies, as messages for people: v2's `{"error": "..."}`, the legacy
/// FastAPI `{"detail": "..."}` and `{"detail": [{"loc", "msg"}]}`, the older `{"errors": [...]}`,
/// and v2's 401 with an empty body.
enum OpenReplayErrorEnvelope {
    static func message(status: Int, body: [UInt8], style: OpenReplaySettings.APIStyle) -> String? {
        if body.allSatisfy(isWhitespace) {
            guard status == 401 else { return nil }
            // `<key>`, not a word, stands for the key: the redactor masks a word after `Bearer`.
            let form = style == .public ? "\"Authorization: Bearer <key>\"" : "\"Authorization: <key>\""
            return "no details (OpenReplay answers 401 with an empty body for a wrong or missing key, a header "
                + "not of the form \(form) that apiStyle \"\(style.rawValue)\" uses, and a project key that does not exist "
                + "or belongs to another organization)"
        }
        guard let document = try? JSONDocument(bytes: body), document.root.kind == .object else { return nil }
        let root = document.root
        if let error = root["error"]?.string {
            return error
        }
        if let detail = root["detail"] {
            if let text = detail.string { return text }
            if detail.kind == .array {
                return detail.elements.map(validationProblem).joined(separator: "; ")
            }
        }
        if let errors = root["errors"], errors.kind == .array {
            return errors.elements.map { $0.string ?? $0.rawText }.joined(separator: "; ")
        }
        return nil
    }

    /// One FastAPI validation entry, `{"loc": ["body", "limit"], "msg": "..."}` → `body.limit: ...`.
    private static func validationProblem(_ entry: JSONValue) -> String {
        guard let message = entry["msg"]?.string else { return entry.rawText }
        let location = entry["loc"]?.elements.compactMap(\.stringOrNumberText).joined(separator: ".") ?? ""
        return location.isEmpty ? message : "\(location): \(message)"
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
