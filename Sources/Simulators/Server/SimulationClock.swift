import SessionSyncSupport
import Synchronization

/// The time a simulator's data lives in: real time (the demo), or a manual clock that tests
/// advance, so "sessions end over time" happens exactly when a test says.
public final class SimulationClock: Sendable {
    private enum Mode {
        case real(offset: Int64)
        case manual(Timestamp)
    }

    private let mode: Mutex<Mode>

    /// A clock that follows the wall clock.
    public static func real() -> SimulationClock {
        SimulationClock(mode: .real(offset: 0))
    }

    /// A clock that stands still at `start` until advanced.
    public static func manual(_ start: Timestamp) -> SimulationClock {
        SimulationClock(mode: .manual(start))
    }

    private init(mode: Mode) {
        self.mode = Mutex(mode)
    }

    public var now: Timestamp {
        mode.withLock { mode in
            switch mode {
            case .real(let offset): Timestamp.now().adding(milliseconds: offset)
            case .manual(let time): time
            }
        }
    }

    /// Moves the clock forward (a real clock gains an offset).
    public func advance(by duration: Duration) {
        mode.withLock { mode in
            switch mode {
            case .real(let offset): mode = .real(offset: offset + duration.milliseconds)
            case .manual(let time): mode = .manual(time.adding(duration))
            }
        }
    }
}
