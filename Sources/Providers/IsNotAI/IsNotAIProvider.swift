import SyncEngine

/// Placeholder until the IsNotAI connector lands: every pass fails with a clear message.
public struct IsNotAIProvider: Provider {
    public init(source: SourceConfiguration) {}

    public var credentials: [(String, String)] { [] }

    public func describeError(status: Int, body: [UInt8]) -> String? { nil }

    public func sync(_ pass: SyncPass) async throws {
        throw SyncError.providerError(endpoint: "-", message: "the IsNotAI connector is not built yet")
    }

    public func probe(_ pass: SyncPass) async throws -> String {
        throw SyncError.providerError(endpoint: "-", message: "the IsNotAI connector is not built yet")
    }
}
