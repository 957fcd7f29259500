import SessionSyncTesting
import Simulators
import SyncEngine
import Testing

@Suite("An error body is quoted in part, never cutting a key in half")
struct ErrorExcerptTests {
    @Test("a body cut inside an echoed key shows none of the key, and the excerpt says it was cut")
    func cutInsideKey() async throws {
        try await ProviderHarness.withItems(count: 5) { harness, _ in
            // The key starts 9 bytes before the 300-byte cut: unmasked, "items-tok" would remain.
            let body = String(repeating: "x", count: 290) + " " + ItemsSimulator.token + " was refused"
            harness.server.faults.inject(
                FaultRule(times: nil, fault: .status(500, body: body, contentType: "text/plain")))
            let outcome = await harness.pass(retry: RetryPolicy(retries: 0))
            guard case .failed(let message) = outcome.result else {
                Issue.record("expected a failed run, got \(outcome.result)")
                return
            }
            #expect(message.contains(String(repeating: "x", count: 290) + "…"), "\(message)")
            #expect(!message.contains("items-"), "\(message)")
        }
    }
}
