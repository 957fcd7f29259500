import Archive
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Synchronization
import Testing

@Suite("HTTP: retries, Retry-After, rate limits, redirects, size caps")
struct HTTPBehaviourTests {
    @Test("Retry-After is honoured in seconds")
    func retryAfterSeconds() async throws {
        try await ProviderHarness.withItems(count: 5) { harness, _ throws in
            harness.server.faults.inject(FaultRule(fault: .tooManyRequests(retryAfter: "7")))
            #expect(await harness.pass().result == .succeeded)
            #expect(harness.sleeps.withLock { $0 } == [.seconds(7)])
            #expect(harness.server.log.count == 2)
            #expect(try await harness.count("SELECT requests FROM sync_runs") == 2)
        }
    }

    @Test("Retry-After is honoured as an HTTP date")
    func retryAfterDate() async throws {
        try await ProviderHarness.withItems(count: 5) { harness, _ in
            let before = Timestamp.now()
            let date = HTTPDate.format(before.adding(.seconds(40)))
            harness.server.faults.inject(FaultRule(fault: .tooManyRequests(retryAfter: date)))
            #expect(await harness.pass().result == .succeeded)
            let elapsed = Duration.milliseconds(Timestamp.now().millisecondsSinceEpoch - before.millisecondsSinceEpoch)
            let slept = try #require(harness.sleeps.withLock { $0 }.first)
            // The date has one-second resolution, and the pass read it some time after it was
            // written (however long a loaded machine took): the wait is what was left of the 40 s.
            #expect(slept <= .seconds(40) && slept >= .seconds(39) - elapsed, "slept \(slept), \(elapsed) elapsed")
        }
    }

    @Test(
        "a hostile Retry-After is clamped to a day or ignored, never a trap",
        arguments: [
            ("10000000000000000", RetryPolicy.retryAfterCeiling),
            ("99999999999999999999999", RetryPolicy.retryAfterCeiling),
            ("Fri, 31 Dec 9999 23:59:59 GMT", RetryPolicy.retryAfterCeiling),
            ("Fri, 31 Dec 999999999 23:59:59 GMT", nil),
            ("Mon, 01 Jan 0000 00:00:00 GMT", nil),
            ("-5", nil),
            ("1e9", nil),
            ("120", .seconds(120)),
        ] as [(String, Duration?)]
    )
    func hostileRetryAfter(header: String, expected: Duration?) {
        #expect(RetryPolicy.parseRetryAfter(header, now: Timestamp.now()) == expected)
    }

    @Test("a 429 asking for 10^16 seconds ends the pass as rate-limited instead of waiting or trapping")
    func hugeRetryAfterThroughTheClient() async throws {
        try await ProviderHarness.withItems(count: 5) { harness, _ in
            harness.server.faults.inject(
                FaultRule(times: nil, fault: .tooManyRequests(retryAfter: "10000000000000000")))
            let outcome = await harness.pass()
            #expect(harness.sleeps.withLock { $0 }.isEmpty)
            // A spent rate budget is not a failure: the run keeps what it has and says why it stopped.
            #expect(outcome.result == .succeeded)
            #expect(outcome.progress.warnings.contains { $0.contains("Retry-After 1d") })
        }
    }

    @Test("5xx answers and dropped connections are retried with backoff")
    func transientFailures() async throws {
        try await ProviderHarness.withItems(count: 5) { harness, _ throws in
            harness.server.faults.inject(FaultRule(times: 2, fault: .status(503, body: "unavailable")))
            harness.server.faults.inject(FaultRule(skip: 0, times: 1, fault: .dropConnection))
            #expect(await harness.pass().result == .succeeded)
            let sleeps = harness.sleeps.withLock { $0 }
            #expect(sleeps.count == 3)
            #expect(sleeps.allSatisfy { $0 <= .seconds(30) })
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 5)
        }
    }

    @Test("a 5xx that outlasts the retries fails the run with the status and the API's message")
    func persistentFailure() async throws {
        try await ProviderHarness.withItems(count: 5) { harness, _ throws in
            harness.server.faults.inject(
                FaultRule(times: nil, fault: .status(500, body: #"{"message": "database on fire"}"#)))
            let outcome = await harness.pass(retry: RetryPolicy(retries: 2))
            #expect(outcome.result == .failed("items: GET /items answered HTTP 500: database on fire"))
            #expect(harness.server.log.count == 3)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 0)
        }
    }

    @Test("a 429 that outlasts the retries ends the pass as succeeded with a warning, keeping the committed pages")
    func rateBudgetSpent() async throws {
        try await ProviderHarness.withItems(count: 35, pageSize: 10) { harness, simulator throws in
            harness.server.faults.inject(
                FaultRule(query: ("page", "2"), times: nil, fault: .tooManyRequests(retryAfter: "1")))
            let outcome = await harness.pass(retry: RetryPolicy(retries: 1))
            #expect(outcome.result == .succeeded)
            #expect(outcome.progress.warnings.contains { $0.contains("rate budget is spent") })
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 10)
            #expect(try await harness.text("SELECT value FROM sync_cursors") == simulator.all[9].created.iso8601)
            #expect(try await harness.text("SELECT warnings FROM sync_runs")?.contains("HTTP 429") == true)
            #expect(try await harness.text("SELECT status FROM sync_runs") == "succeeded")
        }
    }

    @Test("the rate limit holds in every window, counted from the server's log")
    func rateLimit() async throws {
        try await ProviderHarness.withItems(
            count: 60, pageSize: 5, extra: #", "rateLimit": {"requests": 4, "per": "500ms"}"#
        ) { harness, _ in
            #expect(await harness.pass().result == .succeeded)
            #expect(harness.server.log.count == 12)
            // Arrival times carry loopback jitter, so the window checked is a little shorter than the limit's.
            #expect(harness.server.log.maxRequests(in: .milliseconds(450)) <= 4)
        }
    }

    @Test("credentials follow a redirect on the same origin but never to another host")
    func redirects() async throws {
        try await ProviderHarness.withItems(count: 5, extra: #", "path": "/redirect""#) { harness, simulator in
            simulator.redirectTarget.withLock { $0 = harness.server.baseURL + "/redirected/items" }
            #expect(await harness.pass().result == .succeeded)
            #expect(harness.server.log.matching("/redirected/items").first?.request.header("Authorization") != nil)

            try await withSimulatorServer(api: ItemsSimulator(count: 5)) { other in
                simulator.redirectTarget.withLock {
                    $0 = other.baseURL.replacingOccurrences(of: "127.0.0.1", with: "localhost") + "/redirected/items"
                }
                let outcome = await harness.pass()
                #expect(outcome.failed)
                let followed = try #require(other.log.all.first?.request)
                #expect(followed.header("Authorization") == nil)
                #expect(
                    harness.server.log.matching("/redirect").last?.request.header("Authorization")
                        == "Bearer \(ItemsSimulator.token)")
            }
        }
    }

    @Test("a response above maxResponseBytes fails with a message that says which setting to change")
    func responseCap() async throws {
        try await ProviderHarness.withItems(count: 50, pageSize: 50, extra: #", "maxResponseBytes": 1024"#) {
            harness, _ in
            let outcome = await harness.pass()
            guard case .failed(let message) = outcome.result else {
                Issue.record("expected a failed run")
                return
            }
            #expect(message.contains("larger than 1024 bytes"))
            #expect(message.contains("maxResponseBytes"))
        }
    }

    @Test("requests ask for gzip and compressed answers are read")
    func gzip() async throws {
        try await ProviderHarness.withItems(count: 40, pageSize: 40) { harness, _ in
            // The simulator really compresses an answer that a request asks to be gzipped...
            var probe = HTTPClientRequest(url: harness.server.baseURL + "/items?page=1&per_page=40")
            probe.headers.add(name: "Authorization", value: "Bearer \(ItemsSimulator.token)")
            probe.headers.add(name: "Accept-Encoding", value: "gzip")
            let raw = try await HTTPClient.shared.execute(probe, timeout: .seconds(30))
            #expect(raw.headers["Content-Encoding"].first == "gzip")
            _ = try await raw.body.collect(upTo: 1 << 20)
            // ...so the pass, which asks for gzip, could only archive the rows by decompressing them.
            #expect(await harness.pass().result == .succeeded)
            #expect(harness.server.log.all.last?.request.header("Accept-Encoding") == "gzip")
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 40)
        }
    }

    @Test("a slow answer beyond the timeout is retried, then fails naming the timeout setting")
    func timeout() async throws {
        try await ProviderHarness.withItems(count: 5, extra: #", "timeout": "1s""#) { harness, _ in
            harness.server.faults.inject(FaultRule(times: nil, fault: .slow(.seconds(30))))
            let outcome = await harness.pass(retry: RetryPolicy(retries: 1))
            guard case .failed(let message) = outcome.result else {
                Issue.record("expected a failed run")
                return
            }
            #expect(message.contains("did not answer within 1s"))
            #expect(harness.server.log.count == 2)
        }
    }
}
