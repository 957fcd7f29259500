import SessionSyncSupport

/// A response that arrived whole (status, headers, body within the size cap).
public struct APIResponse: Sendable {
    public let status: Int
    public let headers: [(String, String)]
    public let body: [UInt8]
    public let endpoint: String

    public init(status: Int, headers: [(String, String)], body: [UInt8], endpoint: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.endpoint = endpoint
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        Self.header(name, in: headers)
    }

    /// The first value of header `name` (case-insensitive) in `headers`, answer or not yet.
    static func header(_ name: String, in headers: [(String, String)]) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.0.lowercased() == lowered }?.1
    }

    /// The body parsed as JSON; a malformed or truncated body is a ``SyncError`` naming the endpoint.
    public func json() throws(SyncError) -> JSONDocument {
        do {
            return try JSONDocument(bytes: body)
        } catch {
            throw SyncError.malformedResponse(endpoint: endpoint, detail: error.description)
        }
    }

    public var text: String {
        String(decoding: body, as: UTF8.self)
    }
}
