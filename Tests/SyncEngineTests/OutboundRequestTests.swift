import SessionSyncTesting
import Simulators
import SyncEngine
import Synchronization
import Testing

@Suite("Requests go only where they should: redirects checked, bodies kept at their origin")
struct OutboundRequestTests {
    @Test(
        "a redirect to another scheme, a link-local address or a metadata service is refused, and nothing is sent there",
        arguments: [
            ("file:///etc/passwd", "file:///etc/passwd", "only http and https"),
            (
                "http://169.254.169.254/latest/meta-data/iam?token=abc", "http://169.254.169.254/latest/meta-data/iam",
                "link-local"
            ),
            ("http://[fe80::1]:8080/items", "http://[fe80::1]:8080/items", "link-local"),
            ("http://[::ffff:169.254.169.254]/", "http://[::ffff:169.254.169.254]/", "link-local"),
            (
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://metadata.google.internal/computeMetadata/v1/", "metadata"
            ),
        ]
    )
    func refusedRedirect(target: String, shown: String, reason: String) async throws {
        try await ProviderHarness.withItems(count: 5, extra: #", "path": "/redirect""#) { harness, simulator throws in
            simulator.redirectTarget.withLock { $0 = target }
            let outcome = await harness.pass()
            guard case .failed(let message) = outcome.result else {
                Issue.record("expected a failed run, got \(outcome.result)")
                return
            }
            #expect(message.contains("GET /items redirected to \(shown), which was not followed"), "\(message)")
            #expect(message.contains(reason), "\(message)")
            #expect(!message.contains("token=abc"))
            // Refused, not tried: no retry, and the run's error is the refusal.
            #expect(harness.server.log.count == 1)
            #expect(try await harness.text("SELECT error FROM sync_runs")?.contains("which was not followed") == true)
        }
    }

    @Test("a redirect to another loopback origin is followed, since the source itself lives on this machine")
    func loopbackRedirect() async throws {
        try await ProviderHarness.withItems(count: 5, extra: #", "path": "/redirect""#) { harness, simulator in
            simulator.redirectTarget.withLock { $0 = "http://localhost:\(harness.server.port)/redirected/items" }
            let outcome = await harness.pass()
            // Followed (without the token, which stays with its origin, hence the 401).
            #expect(harness.server.log.matching("/redirected/items").count == 1)
            #expect(
                outcome.result
                    == .failed(
                        "items: GET /items answered HTTP 401: bad token (the API key was refused: check the source's key and that it belongs to this base URL)"
                    ))
        }
    }

    @Test("a 307 or 308 resends a POST's body on the same origin", arguments: [307, 308])
    func bodyKeptOnOrigin(status: Int) async throws {
        try await ProviderHarness.withItems(count: 5) { harness, simulator in
            simulator.redirectStatus.withLock { $0 = status }
            simulator.redirectTarget.withLock { $0 = harness.server.baseURL + "/redirected/items" }
            let body = Array(#"{"filter": "plan = trial"}"#.utf8)
            let response = try await harness.runner().client.send(.postJSON("/redirect", body: body))
            #expect(response.status == 200)
            let followed = try #require(harness.server.log.matching("/redirected/items").first?.request)
            #expect(followed.method == "POST")
            #expect(followed.body == body)
        }
    }

    @Test("a 307 or 308 to another origin is refused: the POST's body never reaches it", arguments: [307, 308])
    func bodyNotResentElsewhere(status: Int) async throws {
        try await ProviderHarness.withItems(count: 5) { harness, simulator in
            try await withSimulatorServer(api: ItemsSimulator(count: 5)) { other in
                simulator.redirectStatus.withLock { $0 = status }
                simulator.redirectTarget.withLock { $0 = other.baseURL + "/redirected/items?sig=abc" }
                let client = harness.runner().client
                let error = await #expect(throws: SyncError.self) {
                    try await client.send(.postJSON("/redirect", body: Array(#"{"filter": "plan = trial"}"#.utf8)))
                }
                #expect(
                    error?.description.contains(
                        "answered HTTP \(status) to \(other.baseURL)/redirected/items, another host") == true,
                    "\(String(describing: error))")
                #expect(other.log.count == 0)
            }
        }
    }
}
