import SessionSyncSupport
import SyncEngine

/// RealtimeKit's answer envelope `{"success", "data", "paging"?}` and its two error shapes:
/// RealtimeKit's own `{"success": false, "error": {"code", "message"}}` and the Cloudflare gateway's
/// `{"success": false, "errors": [{"code", "message"}], "messages": [], "result": null}`.
enum RealtimeKitEnvelope {
    /// The parsed body of a successful answer; `success: false` (even with HTTP 200) is an error.
    static func checked(_ response: APIResponse) throws -> JSONDocument {
        let document = try response.json()
        guard document.root.kind == .object else {
            throw SyncError.malformedResponse(
                endpoint: response.endpoint, detail: "expected a JSON object, found \(document.root.kind)")
        }
        if let failure = failure(in: document) {
            throw SyncError.providerError(endpoint: response.endpoint, message: failure)
        }
        return document
    }

    /// The error message of a `success: false` answer (nil when it succeeded).
    static func failure(in document: JSONDocument) -> String? {
        guard document.root["success"]?.bool == false else { return nil }
        return message(in: document.root) ?? "success: false, without an error message"
    }

    /// The message of either error envelope, for error statuses (nil when the body is neither).
    static func errorMessage(_ body: [UInt8]) -> String? {
        guard let document = try? JSONDocument(bytes: body), document.root.kind == .object else { return nil }
        return message(in: document.root)
    }

    /// `code: message` of `error`, or of every entry of `errors`, joined.
    static func message(in root: JSONValue) -> String? {
        if let error = root["error"], error.kind == .object {
            return describe(error)
        }
        if let errors = root["errors"], errors.kind == .array, !errors.elements.isEmpty {
            return errors.elements.map(describe).joined(separator: "; ")
        }
        if let error = root["error"]?.string {
            return error
        }
        return nil
    }

    private static func describe(_ entry: JSONValue) -> String {
        let message = entry["message"]?.string ?? entry.rawText
        guard let code = entry["code"]?.stringOrNumberText else { return message }
        return "\(message) (code \(code))"
    }
}
