import SessionSyncSupport

/// The HTTP side of a source: what a provider uses to talk to its API, and all that a probe
/// (`check-config --probe`) needs; it knows no archive.
///
/// Every request goes through the source's ``APIClient`` (retries, rate limits, credentials,
/// redirect policy) and is counted for the pass it belongs to.
public struct SourceHTTP: Sendable {
    public let source: SourceConfiguration
    public let client: APIClient
    private let countRequest: @Sendable () -> Void

    public init(source: SourceConfiguration, client: APIClient, countRequest: @escaping @Sendable () -> Void = {}) {
        self.source = source
        self.client = client
        self.countRequest = countRequest
    }

    /// Sends `request` (with retries, rate limits and the provider's credentials).
    public func send(_ request: APIRequest) async throws -> APIResponse {
        try await client.send(request, onAttempt: countRequest)
    }

    /// Sends `request` and parses the body as JSON.
    public func sendJSON(_ request: APIRequest) async throws -> JSONDocument {
        try await send(request).json()
    }

    /// Runs a mapping over a parsed response, turning shape errors into errors that name the endpoint.
    public func map<T>(_ endpoint: String, _ body: () throws(JSONShapeError) -> T) throws(SyncError) -> T {
        do {
            return try body()
        } catch {
            throw SyncError.malformedResponse(endpoint: endpoint, error)
        }
    }
}
