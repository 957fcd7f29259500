import Archive
import SessionSyncSupport
import SyncEngine

@testable import Providers

/// Every call the fuzzer makes into the providers, in this one file: the mappers' signatures
/// change as the providers evolve, and one file is one place to follow them.
///
/// Each page body is read the way the provider's listing or fetcher reads it (envelope, paging,
/// rows mapped through `ArchiveBatch.mapRows`, which quarantines a bad row and records drift);
/// the batch a page yields then goes through ``ArchivedForm``.
enum ProviderMappings {
    /// An arbitrary page size: paging decisions only compare it with row counts.
    private static let pageSize = 20

    /// The `pages` target: one body, read as every page, details and error answer of every provider.
    static func mapPageBody(_ bytes: [UInt8]) {
        errorEnvelopes(bytes)
        guard let document = try? JSONDocument(bytes: bytes) else { return }
        openReplaySearchPage(document)
        isNotAIListingPage(document)
        isNotAIDetails(document)
        isNotAISessionAnswer(document)
        realtimeKitPages(document, bytes: bytes)
        yourGPTPages(document, bytes: bytes)
    }

    /// The `csv` target: one file, read as a chat export and as a transcript export.
    static func mapExportFile(_ bytes: [UInt8]) {
        guard let table = try? RealtimeKitCSVTable(bytes: bytes) else { return }
        for row in table.rows.prefix(4) {
            _ = table.json(row)
        }
        for export in RealtimeKitExport.allCases {
            if let set = try? export.childSet(table) {
                ArchivedForm.prepare(
                    ArchiveBatch(sessionChildren: [SessionChildren(externalID: "fuzz", children: [set])]))
            }
        }
    }

    /// Header values the providers read themselves (the engine reads `Retry-After`).
    static func mapHeaderValue(_ text: String) {
        _ = IsNotAIPlan(header: text)
    }

    private static func errorEnvelopes(_ bytes: [UInt8]) {
        _ = IsNotAIErrorEnvelope.message(bytes)
        _ = RealtimeKitEnvelope.errorMessage(bytes)
        _ = YourGPTEnvelope.errorMessage(bytes)
        for status in [401, 422] {
            for style in [OpenReplaySettings.APIStyle.public, .legacy] {
                _ = OpenReplayErrorEnvelope.message(status: status, body: bytes, style: style)
            }
        }
    }

    // MARK: OpenReplay

    /// `OpenReplayProvider.fetchPage` and the listing walk over its rows.
    private static func openReplaySearchPage(_ document: JSONDocument) {
        _ = OpenReplayListingState(cursor: document.root.rawText)
        guard let data = try? document.root.require("data"), data.kind == .object else { return }
        var drift = SchemaDriftLog(endpoint: "fuzz")
        let total = data.lenientInt64("total", &drift).map { Int($0) }
        guard let sessions = try? data.require("sessions"), sessions.kind == .array else { return }
        var batch = ArchiveBatch(drift: drift.drifts)
        let records = batch.mapRows(sessions.elements, endpoint: "fuzz", idKey: "sessionID") {
            row, drift throws(JSONShapeError) in
            try OpenReplaySessionMapper.map(row, &drift)
        }
        var listing = OpenReplayListing(pageSize: pageSize)
        for record in records {
            _ = listing.admit(record.externalID)
        }
        batch.sessions = records
        ArchivedForm.prepare(batch)
        _ = listing.notePage(total: total, rowCount: sessions.count)
        _ = listing.verdict(previousSessions: 1, awaitingConfirmation: false)
    }

    // MARK: isnotai

    /// `IsNotAIListingWalk`: the page envelope, then each row.
    private static func isNotAIListingPage(_ document: JSONDocument) {
        guard let page = try? IsNotAIListingWalk.Page(document.root) else { return }
        _ = page.hasMore
        _ = page.nextCursor
        var batch = ArchiveBatch()
        let sessions = batch.mapRows(page.rows.elements, endpoint: "fuzz", idKey: "id") {
            row, drift throws(JSONShapeError) in
            try IsNotAISessionMapper.map(row, &drift)
        }
        for session in sessions {
            batch.sessions.append(session.record)
            ArchivedForm.prepare(session.createdAt)
        }
        ArchivedForm.prepare(batch)
    }

    /// `IsNotAIDetailFetch`: `GET /v1/sessions/{id}/details`.
    private static func isNotAIDetails(_ document: JSONDocument) {
        var drift = SchemaDriftLog(endpoint: "fuzz")
        guard let details = try? IsNotAIDetailsMapper.map(document.root, externalID: "fuzz", &drift) else { return }
        ArchivedForm.prepare(ArchiveBatch(sessions: [details.record], drift: drift.drifts))
    }

    /// `IsNotAIUnfinishedRevisit`: `GET /v1/sessions/{id}`.
    private static func isNotAISessionAnswer(_ document: JSONDocument) {
        guard let data = try? document.root.requireObject("data") else { return }
        var batch = ArchiveBatch()
        guard
            let session = try? batch.mapRecord(
                endpoint: "fuzz", { drift throws(JSONShapeError) in try IsNotAISessionMapper.map(data, &drift) })
        else {
            return
        }
        batch.sessions.append(session.record)
        ArchivedForm.prepare(batch)
    }

    // MARK: RealtimeKit

    private static func realtimeKitPages(_ document: JSONDocument, bytes: [UInt8]) {
        _ = try? RealtimeKitEnvelope.checked(APIResponse(status: 200, headers: [], body: bytes, endpoint: "fuzz"))
        _ = RealtimeKitEnvelope.failure(in: document)
        _ = RealtimeKitEnvelope.message(in: document.root)
        var drift = SchemaDriftLog(endpoint: "fuzz")
        let paging = RealtimeKitPaging.read(from: document.root, &drift)
        _ = paging?.isLastPage
        guard let data = try? document.root.requireObject("data") else { return }

        // `RealtimeKitListing`: sessions, oldest first.
        if let rows = try? data.optionalArray("sessions") {
            var batch = ArchiveBatch(drift: drift.drifts)
            let sessions = batch.mapRows(rows.elements, endpoint: "fuzz", idKey: "id") {
                row, drift throws(JSONShapeError) in
                try RealtimeKitSessionMapper.map(row, &drift)
            }
            for session in sessions {
                batch.sessions.append(session.record)
                ArchivedForm.prepare(session.createdAt)
                ArchivedForm.prepare(session.endedAt)
            }
            ArchivedForm.prepare(batch)
            _ = RealtimeKitPaging.listEnds(rows: rows.count, perPage: pageSize, paging: paging)
        }

        // `RealtimeKitParticipantsFetcher`: one page of participants.
        if let rows = try? data.optionalArray("participants") {
            var batch = ArchiveBatch(drift: drift.drifts)
            let participants = batch.mapRows(rows.elements, endpoint: "fuzz", idKey: "id") {
                row, drift throws(JSONShapeError) in
                try RealtimeKitParticipantMapper.map(row, &drift)
            }
            batch.sessionChildren.append(SessionChildren(externalID: "fuzz", children: [.participants(participants)]))
            ArchivedForm.prepare(batch)
            _ = RealtimeKitPaging.listEnds(rows: rows.count, perPage: pageSize, paging: paging)
        }

        // `RealtimeKitRevisits`: a session's details, in either shape.
        var batch = ArchiveBatch()
        let object = (try? data.optionalObject("session")) ?? data
        if let session = try? batch.mapRecord(
            endpoint: "fuzz", { drift throws(JSONShapeError) in try RealtimeKitSessionMapper.map(object, &drift) })
        {
            batch.sessions.append(session.record)
            ArchivedForm.prepare(batch)
        }

        // `RealtimeKitExportFetcher`: the download link of each export.
        for export in RealtimeKitExport.allCases {
            _ = try? data.optionalString(export.linkField)
        }
    }

    // MARK: YourGPT

    private static func yourGPTPages(_ document: JSONDocument, bytes: [UInt8]) {
        _ = try? YourGPTEnvelope.checked(APIResponse(status: 200, headers: [], body: bytes, endpoint: "fuzz"))
        guard let rows = try? document.root.requireArray("data") else { return }

        // `YourGPTProvider.readPage`: `getSessions`.
        var listing = YourGPTListing(stopBefore: Timestamp(millisecondsSinceEpoch: 0))
        var sessionsBatch = ArchiveBatch()
        let sessions = sessionsBatch.mapRows(rows.elements, endpoint: "fuzz", idKey: "session_uid") {
            row, drift throws(JSONShapeError) in
            try YourGPTSessionMapper.map(row, &drift)
        }
        for session in sessions {
            listing.record(session, firstPage: true)
            _ = listing.movedToFront(session)
            sessionsBatch.sessions.append(session.record)
            ArchivedForm.prepare(session.lastMessageTime)
        }
        ArchivedForm.prepare(sessionsBatch)

        // `YourGPTProvider.fetchMessages`: `getSessionMessages`.
        var messagesBatch = ArchiveBatch()
        let messages = messagesBatch.mapRows(rows.elements, endpoint: "fuzz", idKey: "id") {
            row, drift throws(JSONShapeError) in
            try YourGPTMessageMapper.map(row, &drift)
        }
        messagesBatch.sessionChildren.append(SessionChildren(externalID: "fuzz", children: [.appendMessages(messages)]))
        ArchivedForm.prepare(messagesBatch)
    }
}
