import Synchronization

/// The faults waiting for their matching requests.
public final class FaultInjector: Sendable {
    private struct Armed {
        var rule: FaultRule
        var seen = 0
        var fired = 0
    }

    private let rules = Mutex<[Armed]>([])

    public init() {}

    public func inject(_ rule: FaultRule) {
        rules.withLock { $0.append(Armed(rule: rule)) }
    }

    public func clear() {
        rules.withLock { $0.removeAll() }
    }

    /// The fault for `request`, if a rule fires for it.
    func fault(for request: SimulatedRequest) -> Fault? {
        rules.withLock { armed in
            for index in armed.indices where armed[index].rule.matches(request) {
                if let times = armed[index].rule.times, armed[index].fired >= times { continue }
                armed[index].seen += 1
                if armed[index].seen <= armed[index].rule.skip { continue }
                armed[index].fired += 1
                return armed[index].rule.fault
            }
            return nil
        }
    }
}
