import Providers
import Simulators
import SyncEngine

// Scoped helpers: each starts something for a closure and stops it before returning, whether
// the closure returned or threw. A closure whose only `try`s are inside `#expect(...)` must say
// `throws` (`{ harness throws in`): Swift decides whether a closure throws before it expands
// macros, and would otherwise type it as non-throwing.

/// Something a test starts and must stop before it returns: a simulator's server, a harness.
public protocol AsyncShutdown: Sendable {
    /// Stops what was started. Called once, when the test is done with it.
    func shutdown() async
}

extension SimulatorServer: AsyncShutdown {}
extension ProviderHarness: AsyncShutdown {}

/// Runs `body` with `resource`, then awaits `resource.shutdown()` before returning, whether
/// `body` returned or threw: nothing a test started outlives it.
///
/// ```swift
/// try await withShutdown(try await SimulatorServer(api: simulator)) { server in
///     ...
/// }
/// ```
@discardableResult
public func withShutdown<Resource: AsyncShutdown, T>(
    _ resource: Resource,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (Resource) async throws -> T
) async throws -> T {
    let result: T
    do {
        result = try await body(resource)
    } catch {
        await resource.shutdown()
        throw error
    }
    await resource.shutdown()
    return result
}

/// A ``ProviderHarness`` for `body`, shut down (its server and HTTP client) when `body` returns
/// or throws. The parameters are the harness's own; `archive` chooses what it writes to: a SQLite
/// file, or a fresh PostgreSQL database (``withTemporaryPostgresArchive(isolation:_:)``), dropped
/// at the end.
///
/// ```swift
/// try await withProviderHarness(api: YourGPTSimulator(options: options), source: #""provider": "yourgpt", ..."#) { harness in
///     let outcome = await harness.pass()
///     #expect(try await harness.count("SELECT count(*) FROM sessions") == 250)
/// }
/// ```
@discardableResult
public func withProviderHarness<T>(
    api: any SimulatedAPI,
    source: String,
    secrets: [String: String] = [:],
    registry: ProviderRegistry = StandardProviders.registry,
    archive: ArchiveChoice = .sqlite,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (ProviderHarness) async throws -> T
) async throws -> T {
    guard archive == .postgres else {
        return try await withShutdown(
            try await ProviderHarness(api: api, source: source, secrets: secrets, registry: registry), body)
    }
    return try await withTemporaryPostgresArchive { postgres, _ in
        try await withShutdown(
            try await ProviderHarness(
                api: api, source: source, secrets: secrets, registry: registry, postgres: postgres), body)
    }
}

/// A ``SimulatorServer`` serving `api` for `body`, shut down when `body` returns or throws.
@discardableResult
public func withSimulatorServer<T>(
    api: any SimulatedAPI,
    port: Int = 0,
    gzip: Bool = true,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (SimulatorServer) async throws -> T
) async throws -> T {
    try await withShutdown(try await SimulatorServer(api: api, port: port, gzip: gzip), body)
}

/// One ``SimulatorServer`` per API of `apis`, under the same keys, for `body`. All are shut down
/// when `body` returns or throws; if one fails to start, those already started are shut down.
@discardableResult
public func withSimulatorServers<Key: Hashable & Sendable, T>(
    _ apis: [Key: any SimulatedAPI],
    isolation: isolated (any Actor)? = #isolation,
    _ body: ([Key: SimulatorServer]) async throws -> T
) async throws -> T {
    var servers: [Key: SimulatorServer] = [:]
    let result: T
    do {
        for (key, api) in apis {
            servers[key] = try await SimulatorServer(api: api)
        }
        result = try await body(servers)
    } catch {
        for server in servers.values { await server.shutdown() }
        throw error
    }
    for server in servers.values { await server.shutdown() }
    return result
}
