import Archive
import SessionSyncSupport
import SyncEngine

/// Fetches every page of a session's participants for each due `participants` queue item and
/// replaces the session's participant set with them.
struct RealtimeKitParticipantsFetcher {
    let api: RealtimeKitAPI
    let settings: RealtimeKitSettings

    func run(_ pass: SyncPass) async throws {
        try await pass.workQueue(kind: RealtimeKitChildWork.participantsKind) { [self] item in
            var batch = ArchiveBatch()
            let participants: [ParticipantRecord]
            do {
                participants = try await fetchAll(pass, sessionID: item.externalID, into: &batch)
            } catch let error as SyncError where error.httpStatus == 404 {
                return ArchiveBatch(completions: [
                    QueueCompletion(
                        kind: item.kind, externalID: item.externalID, outcome: .giveUp(error: error.description))
                ])
            }
            batch.sessionChildren.append(
                SessionChildren(externalID: item.externalID, children: [.participants(participants)]))
            batch.completions.append(ItemRetryPolicy().finished(item, quarantined: batch.quarantined.count))
            return batch
        }
    }

    /// Every page of the session's participants; drift and quarantined rows go into `batch`.
    private func fetchAll(_ pass: SyncPass, sessionID: String, into batch: inout ArchiveBatch) async throws
        -> [ParticipantRecord]
    {
        var participants: [ParticipantRecord] = []
        // ListingBound: a guard against a server that ignores `page_no` and answers the same page forever.
        var repeats = RepeatedPageGuard()
        for page in 1...ListingBound.pages {
            let document = try await api.participants(
                pass.http, sessionID: sessionID, page: page, perPage: settings.pageSize)
            if repeats.repeats(document) {
                throw SyncError.malformedResponse(
                    endpoint: RealtimeKitAPI.participantsEndpoint,
                    detail: "page \(page) repeats page \(page - 1) verbatim: the server seems to ignore page_no"
                )
            }
            let rows = try pass.http.map(RealtimeKitAPI.participantsEndpoint) { () throws(JSONShapeError) in
                try document.root.requireObject("data").optionalArray("participants").map { Array($0.elements) } ?? []
            }
            var drift = SchemaDriftLog(endpoint: RealtimeKitAPI.participantsEndpoint)
            let paging = RealtimeKitPaging.read(from: document.root, &drift)
            batch.record(drift)
            participants += batch.mapRows(rows, endpoint: RealtimeKitAPI.participantsEndpoint, idKey: "id") {
                row, drift throws(JSONShapeError) in
                try RealtimeKitParticipantMapper.map(row, &drift)
            }
            if RealtimeKitPaging.listEnds(rows: rows.count, perPage: settings.pageSize, paging: paging) {
                return participants
            }
        }
        throw SyncError.malformedResponse(
            endpoint: RealtimeKitAPI.participantsEndpoint,
            detail: "more than \(ListingBound.pages) pages: the server seems to ignore page_no"
        )
    }
}
