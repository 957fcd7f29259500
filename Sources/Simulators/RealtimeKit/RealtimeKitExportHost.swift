import SessionSyncSupport
import Synchronization

/// The object storage that RealtimeKit's chat and transcript download links point at: a second
/// origin, like S3 or R2, that answers only presigned URLs. As real presigned storage does, it
/// refuses a request that also carries an `Authorization` header (400), a link whose signature
/// it did not issue (403), and a link past its expiry (403).
public final class RealtimeKitExportHost: SimulatedAPI {
    let world: RealtimeKitWorld

    init(world: RealtimeKitWorld) {
        self.world = world
    }

    public func respond(to request: SimulatedRequest) -> SimulatedResponse {
        if request.header("Authorization") != nil {
            return Self.error(
                400, code: "InvalidArgument",
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"
            )
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            return Self.error(
                405, code: "MethodNotAllowed", "The specified method is not allowed against this resource.")
        }
        guard let signature = request.query("X-Amz-Signature") else {
            return Self.error(403, code: "AccessDenied", "Access Denied")
        }
        let options = world.options
        return world.state.withLock { state in
            let now = options.clock.now
            guard let link = state.links[signature],
                request.path.hasSuffix("/\(link.sessionID)/\(link.export.rawValue).csv")
            else {
                return Self.error(
                    403, code: "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided.")
            }
            guard now <= link.expiresAt else {
                return Self.error(403, code: "AccessDenied", "Request has expired")
            }
            guard let session = state.sessions.first(where: { $0.id == link.sessionID }) else {
                return Self.error(404, code: "NoSuchKey", "The specified key does not exist.")
            }
            let csv: String
            switch link.export {
            case .chat:
                csv = RealtimeKitCSVWriter.csv(
                    header: [
                        "id", "participantId", "sessionId", "meetingId", "displayName", "pinned", "isEdited",
                        "payloadType", "payload", "createdAt",
                    ],
                    rows: session.chat(at: now).map { line in
                        [
                            line.id, line.participant.id, session.id, session.associatedID,
                            line.participant.displayName,
                            line.pinned ? "true" : "false",
                            "false", line.payloadType, line.payload, line.createdAt.iso8601,
                        ]
                    }
                )
            case .transcript:
                csv = RealtimeKitCSVWriter.csv(
                    header: [
                        "Timestamp", "Participant ID", "User ID", "Custom Participant ID", "Participant Name",
                        "Transcript",
                    ],
                    rows: session.transcript(at: now).map { line in
                        [
                            line.at.iso8601, line.participant.id, line.participant.userID, line.participant.customID,
                            line.participant.displayName,
                            line.text,
                        ]
                    }
                )
            }
            return SimulatedResponse(
                status: 200, headers: [("Content-Type", "text/csv; charset=utf-8")], body: Array(csv.utf8))
        }
    }

    private static func error(_ status: Int, code: String, _ message: String) -> SimulatedResponse {
        let xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message></Error>"
        return .text(xml, status: status, contentType: "application/xml")
    }
}
