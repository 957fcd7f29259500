import SessionSyncSupport

extension ArchiveBatch {
    /// Maps the rows of one answer with `map`, so that one bad row costs that row only: a row
    /// whose mapping throws (its id or cursor time unusable, or not an object at all) goes to
    /// quarantine verbatim, and the drift the others showed is recorded with the batch.
    ///
    /// `idKey` names the member holding the provider's id, kept with a quarantined row when
    /// it can be read.
    public mutating func mapRows<Rows: Sequence<JSONValue>, Mapped>(
        _ rows: Rows, endpoint: String, idKey: String,
        _ map: (JSONValue, inout SchemaDriftLog) throws(JSONShapeError) -> Mapped
    ) -> [Mapped] {
        var drift = SchemaDriftLog(endpoint: endpoint)
        var mapped: [Mapped] = []
        for row in rows {
            do {
                mapped.append(try map(row, &drift))
            } catch {
                quarantine(row, endpoint: endpoint, idKey: idKey, reason: error.description)
            }
        }
        record(drift)
        return mapped
    }

    /// Maps one record whose identity is already known (a details answer): drift is recorded,
    /// and a shape error is thrown to the caller, for whom the answer as a whole is unusable.
    public mutating func mapRecord<Mapped>(
        endpoint: String, _ map: (inout SchemaDriftLog) throws(JSONShapeError) -> Mapped
    ) throws(JSONShapeError) -> Mapped {
        var drift = SchemaDriftLog(endpoint: endpoint)
        let mapped = try map(&drift)
        record(drift)
        return mapped
    }

    /// Keeps `row` in quarantine with `reason`.
    public mutating func quarantine(_ row: JSONValue, endpoint: String, idKey: String, reason: String) {
        let id = row.kind == .object ? row[idKey]?.stringOrNumberText : nil
        quarantined.append(QuarantinedRecord(endpoint: endpoint, externalID: id, reason: reason, raw: row.rawText))
    }

    /// Adds what `log` recorded.
    public mutating func record(_ log: SchemaDriftLog) {
        drift += log.drifts
    }
}
