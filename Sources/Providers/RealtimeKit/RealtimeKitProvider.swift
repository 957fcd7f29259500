import SyncEngine

/// Placeholder until the RealtimeKit connector lands: every pass fails with a clear message.
public struct RealtimeKitProvider: Provider {
    public init(source: SourceConfiguration) {}

    public var credentials: [(String, String)] { [] }

    public func describeError(status: Int, body: [UInt8]) -> String? { nil }

    public func sync(_ pass: SyncPass) async throws {
        throw SyncError.providerError(endpoint: "-", message: "the RealtimeKit connector is not built yet")
    }

    public func probe(_ pass: SyncPass) async throws -> String {
        throw SyncError.providerError(endpoint: "-", message: "the RealtimeKit connector is not built yet")
    }
}
