import HubCore
import HubSync

extension SyncError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .connectionDisconnected:
            .conflict("the connection is disconnected", code: "connection_disconnected")
        case .connectionNotConnected:
            .conflict("the connection is not connected; sync needs it connected", code: "connection_not_connected")
        case .busy(let entity):
            .conflict("the sync for \(entity) is changing state; try again", code: "sync_busy")
        case .idempotencyKeyReused:
            APIError(
                .unprocessableContent,
                code: "idempotency_key_reused",
                message: "this Idempotency-Key was already used for a different request; send a new key",
                details: ["field": "Idempotency-Key"]
            )
        }
    }
}
