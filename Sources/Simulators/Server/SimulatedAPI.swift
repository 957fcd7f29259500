/// One provider's API as a simulator plays it. Called for every request that no injected fault
/// intercepts; implementations keep their state behind a lock (requests arrive concurrently).
public protocol SimulatedAPI: Sendable {
    func respond(to request: SimulatedRequest) -> SimulatedResponse
}
