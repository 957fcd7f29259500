import Archive
import SessionSyncSupport
import Testing

@Suite("A listing row and its details become one record; a queue request's effect is known ahead")
struct SessionRecordOverlayTests {
    @Test("overlaid columns win, placeholders give way, insert-only columns fill only gaps, child sets add up")
    func overlay() {
        let created = Timestamp(iso8601: "2026-11-20T10:00:00Z")!
        let started = Timestamp(iso8601: "2026-11-20T10:00:05Z")!
        var listing = SessionRecord(externalID: "s1", kind: .activity)
        listing.status = "closed"
        listing.raw = #"{"id":"s1"}"#
        listing.startedAt = created
        listing.insertOnly.insert(.startedAt)
        listing.children = [.metadata([MetadataEntry(key: "userName", value: "Ada")])]

        var details = SessionRecord(externalID: "s1", kind: .activity)
        details.startedAt = started
        details.detailRaw = #"{"sessionId":"s1"}"#
        details.raw = #"{"sessionId":"s1","other":true}"#
        details.insertOnly.insert(.raw)
        details.title = "from details"
        details.insertOnly.insert(.title)
        details.children = [.eventCounts([EventCount(eventType: "total", count: 3)])]

        listing.overlay(details)
        #expect(listing.startedAt == started)
        #expect(!listing.insertOnly.contains(.startedAt), "the real start overwrites the archived placeholder")
        #expect(listing.raw == #"{"id":"s1"}"#, "the listing's own raw is kept")
        #expect(listing.title == "from details")
        #expect(listing.insertOnly.contains(.title), "an insert-only column stays insert-only")
        #expect(listing.detailRaw == #"{"sessionId":"s1"}"#)
        #expect(listing.status == "closed")
        #expect(listing.columns == [.status, .raw, .startedAt, .detailRaw, .title])
        #expect(listing.children.count == 2)
    }

    @Test(
        "a request makes an item newly pending when it is new or asks for a version not yet done",
        arguments: [
            (nil, "v1", true),
            (QueueState(version: "v1", doneVersion: "v1", state: .done), "v1", false),
            (QueueState(version: "v1", doneVersion: "v1", state: .done), "v2", true),
            (QueueState(version: "v1", doneVersion: nil, state: .pending), "v1", false),
            (QueueState(version: "v1", doneVersion: nil, state: .gaveUp), "v1", false),
            (QueueState(version: "v1", doneVersion: nil, state: .gaveUp), "v2", true),
            (QueueState(version: "v2", doneVersion: "v1", state: .pending), "v1", true),
        ] as [(QueueState?, String, Bool)])
    func requestMakesPending(existing: QueueState?, version: String, expected: Bool) {
        #expect(QueueState.requestMakesPending(existing, version: version) == expected)
    }
}
