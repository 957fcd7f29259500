import SyncEngine

/// Placeholder until the OpenReplay connector lands: every pass fails with a clear message.
public struct OpenReplayProvider: Provider {
    public init(source: SourceConfiguration) {}

    public var credentials: [(String, String)] { [] }

    public func describeError(status: Int, body: [UInt8]) -> String? { nil }

    public func sync(_ pass: SyncPass) async throws {
        throw SyncError.providerError(endpoint: "-", message: "the OpenReplay connector is not built yet")
    }

    public func probe(_ pass: SyncPass) async throws -> String {
        throw SyncError.providerError(endpoint: "-", message: "the OpenReplay connector is not built yet")
    }
}
