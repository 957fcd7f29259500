import Archive
@testable import Providers
import SessionSyncSupport
import SyncEngine

/// Every call the fuzzer makes into the providers, in this one file: the mappers' signatures
/// change as the providers evolve, and one file is one place to follow them.
///
/// Each page body is read the way the provider's listing or fetcher reads it (envelope, paging,
/// rows), but every row is mapped on its own, so that one bad row does not hide the rest from
/// the fuzzer; what a mapping yields then goes through ``ArchivedForm``.
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
                ArchivedForm.prepare(set)
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
        let total = (try? data.optionalInt64("total"))?.map { Int($0) }
        guard let sessions = try? data.require("sessions"), sessions.kind == .array else { return }
        var listing = OpenReplayListing(pageSize: pageSize)
        var rows = 0
        for row in sessions.elements {
            rows += 1
            guard let record = try? OpenReplaySessionMapper.map(row) else { continue }
            _ = listing.admit(record.externalID)
            ArchivedForm.prepare(record)
        }
        _ = listing.notePage(total: total, rowCount: rows)
        _ = listing.verdict(previousSessions: 1, awaitingConfirmation: false)
    }

    // MARK: isnotai

    /// `IsNotAIListingWalk`: the page envelope, then each row.
    private static func isNotAIListingPage(_ document: JSONDocument) {
        guard let page = try? IsNotAIListingWalk.Page(document.root) else { return }
        _ = page.hasMore
        _ = page.nextCursor
        for row in page.rows.elements {
            guard let session = try? IsNotAISessionMapper.map(row) else { continue }
            ArchivedForm.prepare(session.record)
            ArchivedForm.prepare(session.createdAt)
        }
    }

    /// `IsNotAIDetailFetch`: `GET /v1/sessions/{id}/details`.
    private static func isNotAIDetails(_ document: JSONDocument) {
        guard let details = try? IsNotAIDetailsMapper.map(document.root, externalID: "fuzz") else { return }
        ArchivedForm.prepare(details.record)
    }

    /// `IsNotAIUnfinishedRevisit`: `GET /v1/sessions/{id}`.
    private static func isNotAISessionAnswer(_ document: JSONDocument) {
        guard let data = try? document.root.requireObject("data"), let session = try? IsNotAISessionMapper.map(data) else { return }
        ArchivedForm.prepare(session.record)
    }

    // MARK: RealtimeKit

    private static func realtimeKitPages(_ document: JSONDocument, bytes: [UInt8]) {
        _ = try? RealtimeKitEnvelope.checked(APIResponse(status: 200, headers: [], body: bytes, endpoint: "fuzz"))
        _ = RealtimeKitEnvelope.failure(in: document)
        _ = RealtimeKitEnvelope.message(in: document.root)
        let paging = try? RealtimeKitPaging.read(from: document.root)
        if let paging {
            _ = paging.isLastPage
        }
        guard let data = try? document.root.requireObject("data") else { return }

        // `RealtimeKitListing`: sessions, oldest first.
        if let sessions = try? data.optionalArray("sessions") {
            var rows = 0
            for row in sessions.elements {
                rows += 1
                guard let session = try? RealtimeKitSessionMapper.map(row) else { continue }
                ArchivedForm.prepare(session.record)
                ArchivedForm.prepare(session.createdAt)
            }
            _ = RealtimeKitPaging.listEnds(rows: rows, perPage: pageSize, paging: paging)
        }

        // `RealtimeKitParticipantsFetcher`: one page of participants.
        if let participants = try? data.optionalArray("participants") {
            var rows: [ParticipantRecord] = []
            for row in participants.elements {
                if let participant = try? RealtimeKitParticipantMapper.map(row) { rows.append(participant) }
            }
            ArchivedForm.prepare(.participants(rows))
            _ = RealtimeKitPaging.listEnds(rows: rows.count, perPage: pageSize, paging: paging)
        }

        // `RealtimeKitRevisits`: a session's details, in either shape.
        let object = (try? data.optionalObject("session")) ?? data
        if let session = try? RealtimeKitSessionMapper.map(object) {
            ArchivedForm.prepare(session.record)
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
        var listing = YourGPTListing(stopBefore: Timestamp(millisecondsSinceEpoch: 0))
        for row in rows.elements {
            // `YourGPTProvider.readPage`: a row of `getSessions`.
            if let session = try? YourGPTSessionMapper.map(row) {
                listing.record(session, firstPage: true)
                _ = listing.movedToFront(session)
                ArchivedForm.prepare(session.record)
                ArchivedForm.prepare(session.lastMessageTime)
            }
            // `YourGPTProvider.fetchMessages`: a row of `getSessionMessages`.
            if let message = try? YourGPTMessageMapper.map(row) {
                ArchivedForm.prepare(.appendMessages([message]))
            }
        }
    }
}
