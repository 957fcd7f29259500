import Archive
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import Synchronization
import Testing

@testable import SyncEngine

@Suite("Metrics: listen addresses, and the ledger gauges of sources no longer watched")
struct MetricsTests {
    @Test(
        "listen addresses: loopback or not, as written and as bound",
        arguments: [
            ("127.0.0.1:9464", true, "127.0.0.1:9464", "127.0.0.1"),
            ("127.1.2.3:80", true, "127.1.2.3:80", "127.1.2.3"),
            ("localhost:9100", true, "localhost:9100", "127.0.0.1"),
            ("LocalHost:9100", true, "localhost:9100", "127.0.0.1"),
            ("[::1]:9464", true, "[::1]:9464", "::1"),
            ("[::ffff:127.0.0.1]:9464", true, "[::ffff:127.0.0.1]:9464", "::ffff:127.0.0.1"),
            ("0.0.0.0:9464", false, "0.0.0.0:9464", "0.0.0.0"),
            ("[::]:9464", false, "[::]:9464", "::"),
            ("192.168.1.10:9464", false, "192.168.1.10:9464", "192.168.1.10"),
            ("[2001:db8::1]:9464", false, "[2001:db8::1]:9464", "2001:db8::1"),
        ])
    func listenAddresses(text: String, loopback: Bool, shown: String, bound: String) throws {
        let address = try ListenAddress.parse(text).get()
        #expect(address.isLoopback == loopback)
        #expect(address.description == shown)
        #expect(address.bindHost == bound)
        #expect(address.url == "http://\(shown)")
    }

    @Test(
        "listen addresses that cannot be listened on are refused with the reason",
        arguments: [
            ("9464", "has no port"), ("127.0.0.1:", "is not a port"), ("127.0.0.1:0", "is not a port"),
            ("127.0.0.1:65536", "is not a port"), ("127.0.0.1:+80", "is not a port"), ("::1:9464", "brackets"),
            ("[::1]", "is not host:port"), ("[127.0.0.1]:80", "is not an IPv6 address"),
            ("example.com:80", "is not an IP address"), ("127.0.0.256:80", "is not an IP address"),
            (":9464", "is not an IP address"),
        ])
    func badListenAddresses(text: String, reason: String) {
        switch ListenAddress.parse(text) {
        case .success(let address): Issue.record("\(text) was read as \(address)")
        case .failure(let error): #expect(error.message.contains(reason), "\(text): \(error.message)")
        }
    }

    @Test("a source a reload removed loses its ledger gauges (no alert on a frozen value); its counters stay")
    func droppedSourceGauges() async throws {
        try await ProviderHarness.withItems(count: 5) { harness, _ in
            let outcome = await harness.pass()
            #expect(!outcome.failed)
            let source = harness.source
            let gone = try ConfigurationLoader(
                registry: ItemsProvider.registry, environment: SecretEnvironment(variables: ["T": "t"])
            )
            .parse(
                bytes: Array(
                    #"{"sources": [{"name": "gone", "provider": "items", "baseURL": "http://127.0.0.1:9", "token": {"env": "T"}}]}"#
                        .utf8),
                file: "(test)"
            ).sources[0]
            let metrics = EngineMetrics()
            metrics.source(gone).passFinished(status: "failed", duration: .seconds(1))
            let since = Timestamp.now()
            let both = String(
                decoding: await metrics.scrape(archive: harness.backend, sources: [source, gone], since: since),
                as: UTF8.self)
            #expect(both.contains(#"sessionsync_source_healthy{source="gone",provider="items"} 1"#), "\(both)")
            #expect(both.contains(#"sessionsync_last_success_timestamp_seconds{source="\#(source.name)""#))
            let one = String(
                decoding: await metrics.scrape(archive: harness.backend, sources: [source], since: since),
                as: UTF8.self)
            #expect(!one.contains(#"sessionsync_source_healthy{source="gone""#), "\(one)")
            #expect(one.contains(#"sessionsync_source_healthy{source="\#(source.name)""#))
            #expect(one.contains(#"sessionsync_last_success_timestamp_seconds{source="\#(source.name)""#))
            #expect(one.contains(#"sessionsync_passes_total{source="gone",provider="items",status="failed"} 1"#))
        }
    }

    @Test("rate-limit waits count what a server asked for, once waited: a 429's Retry-After, not a 503's backoff")
    func rateLimitWaits() async throws {
        try await ProviderHarness.withItems(count: 5) { harness, _ in
            // The first request is refused with a 429 asking for 3 s, its retry with a plain 503.
            harness.server.faults.inject(FaultRule(times: 1, fault: .tooManyRequests(retryAfter: "3")))
            harness.server.faults.inject(FaultRule(times: 1, fault: .status(503)))
            let metrics = EngineMetrics()
            let outcome = await harness.runner(metrics: metrics).runPass()
            #expect(!outcome.failed)
            #expect(harness.sleeps.withLock { $0 }.first == .seconds(3), "the 429's wait was taken")
            let text = String(
                decoding: await metrics.scrape(archive: harness.backend, sources: [harness.source], since: .now()),
                as: UTF8.self)
            let waited = text.split(separator: "\n").first {
                $0.hasPrefix("sessionsync_rate_limit_wait_seconds_total{")
            }
            #expect(waited.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } == 3, "\(text)")
            let retries = text.split(separator: "\n").filter { $0.hasPrefix("sessionsync_http_retries_total{") }
            #expect(retries.compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.reduce(0, +) == 2)
        }
    }
}
