import SessionSyncCSQLite

/// Owns a `sqlite3*` and closes it when the last owner lets go: the ``Connection`` and every
/// ``Statement`` prepared on it each hold one reference, so neither outlives the other's needs.
final class ConnectionHandle {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        sqlite3_close_v2(pointer)
    }
}

@available(*, unavailable)
extension ConnectionHandle: Sendable {}
