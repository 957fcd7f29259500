/// One archived session, as removal needs it.
struct PostgresSessionReference: Sendable {
    let id: Int64
    let sourceID: Int64
    let externalID: String
}
