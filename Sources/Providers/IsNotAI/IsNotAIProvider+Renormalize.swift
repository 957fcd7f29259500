import Archive
import SessionSyncSupport
import SyncEngine

extension IsNotAIProvider {
    /// The session's listing row (or `GET /v1/sessions/{id}`'s `data`) and its details.
    public func remap(_ stored: StoredSession) -> RemappedSession {
        var mapper = StoredPayloadMapper()
        var record: SessionRecord?
        // A session known by id alone keeps its details as `raw` too: there is no listing row to map.
        if stored.raw != stored.detailRaw {
            record = mapper.map(stored.raw, column: "raw", endpoint: Self.listEndpoint) {
                row, drift throws(JSONShapeError) in
                try IsNotAISessionMapper.map(row, &drift).record
            }
        }
        if let detailRaw = stored.detailRaw,
            let details = mapper.map(
                detailRaw, column: "detail_raw", endpoint: Self.detailsEndpoint,
                {
                    data, drift throws(JSONShapeError) in
                    try IsNotAIDetailsMapper.map(data: data, externalID: stored.externalID, &drift).record
                })
        {
            var combined = record ?? SessionRecord(externalID: stored.externalID, kind: details.kind)
            combined.overlay(details)
            record = combined
        }
        return mapper.remapped(record)
    }

    public func retry(_ entry: QuarantineEntry) -> QuarantineRetry {
        guard entry.endpoint == Self.listEndpoint else {
            return .notRetried("not a record of the \(Self.listEndpoint) listing")
        }
        var mapper = StoredPayloadMapper()
        let listed = mapper.map(entry.raw, column: "quarantine.raw", endpoint: entry.endpoint) {
            row, drift throws(JSONShapeError) in
            IsNotAIPageWriter.ListedSession(try IsNotAISessionMapper.map(row, &drift))
        }
        // As a listing archives it, its details requested for the next pass.
        return mapper.retried(listed.map { IsNotAIPageWriter.batch(for: $0, completion: nil) })
    }
}
