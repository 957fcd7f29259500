import SessionSyncSupport

extension ArchiveBatch {
    /// Maps the rows of one answer with `map`, so that one bad row costs that row only: a row
    /// whose mapping throws (its id or cursor time unusable, or not an object at all) goes to
    /// quarantine verbatim, and the drift the others showed is recorded with the batch.
    ///
    /// `idKey` names the member holding the provider's id. A row repeated verbatim is mapped
    /// once; rows that differ but carry the same id (an id too large for the provider's numbers,
    /// a bug upstream) name no record for sure, so all of them go to quarantine.
    public mutating func mapRows<Rows: Sequence<JSONValue>, Mapped>(
        _ rows: Rows, endpoint: String, idKey: String,
        _ map: (JSONValue, inout SchemaDriftLog) throws(JSONShapeError) -> Mapped
    ) -> [Mapped] {
        let rows = Array(rows)
        // Each row's id is read (and decoded) once, for both the ambiguity check and the mapping.
        let ids = rows.map { Self.id(of: $0, idKey: idKey) }
        let ambiguous = Self.idsOfDifferentRows(rows, ids: ids)
        var drift = SchemaDriftLog(endpoint: endpoint)
        var mapped: [Mapped] = []
        var seen: Set<String> = []
        for (row, id) in zip(rows, ids) {
            if let id, ambiguous.contains(id) {
                let path = row[idKey]?.path ?? row.path
                quarantine(
                    row, endpoint: endpoint, idKey: idKey,
                    reason: "\(path): \"\(id)\" is the id of different records in this answer")
                continue
            }
            if let id, !seen.insert(id).inserted { continue }
            do {
                mapped.append(try map(row, &drift))
            } catch {
                quarantine(row, endpoint: endpoint, idKey: idKey, reason: error.description)
            }
        }
        record(drift)
        return mapped
    }

    /// Ids carried by rows that are not the same text.
    private static func idsOfDifferentRows(_ rows: [JSONValue], ids: [String?]) -> Set<String> {
        var first: [String: JSONValue] = [:]
        var ambiguous: Set<String> = []
        for (row, id) in zip(rows, ids) {
            guard let id else { continue }
            if let earlier = first[id] {
                if earlier.rawBytes != row.rawBytes { ambiguous.insert(id) }
            } else {
                first[id] = row
            }
        }
        return ambiguous
    }

    private static func id(of row: JSONValue, idKey: String) -> String? {
        row.kind == .object ? row[idKey]?.idText : nil
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
        let id = Self.id(of: row, idKey: idKey)
        quarantined.append(QuarantinedRecord(endpoint: endpoint, externalID: id, reason: reason, raw: row.rawText))
    }

    /// Adds what `log` recorded.
    public mutating func record(_ log: SchemaDriftLog) {
        drift += log.drifts
    }
}
