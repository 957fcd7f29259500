import Archive
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import SessionSyncSupport
import Synchronization

/// What `sessionsync run` (and `demo`) serve on the config's `metrics` address: `GET /metrics`,
/// the Prometheus text exposition of ``EngineMetrics``, and `GET /healthz`, 200 when every
/// enabled source is healthy (``SourceHealth``) and 503 naming each one that is not.
///
/// One endpoint lives as long as the daemon. ``apply(_:)`` takes each config, the first and every
/// reloaded one: it watches the config's enabled sources (each since the daemon started, or since
/// the reload that added it) and moves the listener when the `metrics` key changed.
public final class MetricsEndpoint: Sendable {
    public let metrics: EngineMetrics
    private let archive: any ArchiveBackend
    private let startedAt: Timestamp
    private let state = Mutex(State())

    private struct State {
        var watched: [WatchedSource] = []
        var applied = false
        var redactor = SecretRedactor()
        var server: MetricsServer?
        /// One thread, made when first needed: a scrape costs a few archive reads and a buffer,
        /// never enough to need more, and a daemon that serves nothing needs none.
        var group: MultiThreadedEventLoopGroup?
    }

    private var group: MultiThreadedEventLoopGroup {
        state.withLock { state in
            if let group = state.group { return group }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            state.group = group
            return group
        }
    }

    /// - Parameter startedAt: when the daemon started, from which the sources of the first config are watched.
    public init(metrics: EngineMetrics, archive: any ArchiveBackend, startedAt: Timestamp = .now()) {
        self.metrics = metrics
        self.archive = archive
        self.startedAt = startedAt
    }

    /// Where it listens now (`http://127.0.0.1:9464`), or nil.
    public var url: String? {
        state.withLock { state in
            state.server.map { server in ListenAddress(host: server.address.host, port: server.port).url }
        }
    }

    /// Takes `configuration`: listens on its `metrics` address, moving from the old one when it
    /// changed (no `metrics` key: stops listening), and watches its enabled sources. Passes
    /// started after it record their metrics only when the config has the key.
    ///
    /// When the new address cannot be bound, this throws and changes nothing: the old listener
    /// (if any) keeps serving the old config's sources. Call it from one task at a time.
    public func apply(_ configuration: Configuration) async throws(MetricsListenError) {
        let (current, applied) = state.withLock { ($0.server, $0.applied) }
        let wanted = configuration.metrics?.listen
        var server = current
        var retired: MetricsServer?
        if wanted != current?.address {
            if let wanted {
                server = try await bind(wanted, replacing: current)
            } else {
                server = nil
            }
            retired = current
        }
        let now = Timestamp.now()
        state.withLock { state in
            let previous = Dictionary(state.watched.map { ($0.source.name, $0.since) }) { first, _ in first }
            state.watched = configuration.enabledSources.map { source in
                WatchedSource(source, since: previous[source.name] ?? (applied ? now : startedAt))
            }
            state.applied = true
            state.redactor = configuration.redactor
            state.server = server
        }
        metrics.record(configuration.metrics != nil)
        if let retired, retired !== server { await retired.close() }
    }

    /// Binds `address`; when that fails while `current` holds the same port (a change of host on
    /// one port, e.g. 127.0.0.1 to 0.0.0.0), closes `current` and tries again, binding `current`'s
    /// address back if that fails too.
    private func bind(_ address: ListenAddress, replacing current: MetricsServer?) async throws(MetricsListenError)
        -> MetricsServer
    {
        let respond: @Sendable (String) async -> MetricsResponse = { [weak self] path in
            guard let self else { return .text("shutting down\n", status: .serviceUnavailable) }
            return await self.respond(path)
        }
        do {
            return try await MetricsServer.bind(address, group: group, respond: respond)
        } catch {
            guard let current, current.port == address.port else {
                throw MetricsListenError(address: address, error: error)
            }
            await current.close()
            do {
                return try await MetricsServer.bind(address, group: group, respond: respond)
            } catch {
                let restored = try? await MetricsServer.bind(current.address, group: group, respond: respond)
                state.withLock { $0.server = restored }
                throw MetricsListenError(address: address, error: error)
            }
        }
    }

    /// Stops listening and closes the connections; call once, when the daemon stops.
    public func shutdown() async {
        let server = state.withLock { state in
            defer { state.server = nil }
            return state.server
        }
        await server?.close()
        try? await state.withLock({ $0.group })?.shutdownGracefully()
    }

    /// The answer for a GET of `path`.
    func respond(_ path: String) async -> MetricsResponse {
        let (watched, redactor) = state.withLock { ($0.watched, $0.redactor) }
        switch path {
        case "/metrics":
            let body = await metrics.scrape(archive: archive, watching: watched)
            return MetricsResponse(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: body)
        case "/healthz":
            return await health(watched, redactor: redactor)
        default:
            return .text("not found; this server answers GET /metrics and GET /healthz\n", status: .notFound)
        }
    }

    /// `{"status": "ok", "sources": [{"name", "healthy", "reason"}]}`, 200; or `"status":
    /// "unhealthy"` and `"unhealthy": [names]`, 503. Reasons quote the run ledger's errors, which
    /// were redacted when written; they pass the config's redactor again here.
    private func health(_ watched: [WatchedSource], redactor: SecretRedactor) async -> MetricsResponse {
        let verdicts: [SourceHealth]
        do {
            verdicts = try await metrics.health(archive: archive, watching: watched)
        } catch {
            let body = JSONOutput.object([
                ("status", .string("unknown")),
                ("error", .string(redactor.redact("cannot read the run ledger: \(error)"))),
            ])
            return MetricsResponse(
                status: .serviceUnavailable, contentType: "application/json", body: Array((body.text + "\n").utf8))
        }
        let unhealthy = verdicts.filter { !$0.healthy }
        let body = JSONOutput.object([
            ("status", .string(unhealthy.isEmpty ? "ok" : "unhealthy")),
            ("unhealthy", .array(unhealthy.map { .string($0.source) })),
            (
                "sources",
                .array(
                    verdicts.map {
                        .object([
                            ("name", .string($0.source)), ("healthy", .bool($0.healthy)),
                            ("reason", .string(redactor.redact($0.reason))),
                        ])
                    })
            ),
        ])
        return MetricsResponse(
            status: unhealthy.isEmpty ? .ok : .serviceUnavailable, contentType: "application/json",
            body: Array((body.text + "\n").utf8))
    }
}

/// The metrics address could not be listened on: a config problem (exit 78 at start; at a
/// reload, the old config and listener stay).
public struct MetricsListenError: Error, Sendable, CustomStringConvertible {
    public let address: ListenAddress
    /// The system's reason ("Address already in use").
    public let reason: String

    init(address: ListenAddress, error: any Error) {
        self.address = address
        if let error = error as? IOError {
            reason = String(cString: strerror(error.errnoCode))
        } else {
            reason = "\(error)"
        }
    }

    public var description: String {
        "metrics.listen: cannot listen on \(address): \(reason)"
    }
}
