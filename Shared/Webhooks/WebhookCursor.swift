import Foundation
import HubCore

/// The position in a newest-first listing of subscriptions or deliveries: the last row's
/// `created_at` in microseconds and its id, `<micros>:<uuid>`, inside the opaque page cursor.
struct WebhookCursor: Sendable, Equatable {
    var micros: Int64
    var id: UUID

    static func key(createdAt: Date, id: UUID) -> String {
        "\(Int64((createdAt.timeIntervalSince1970 * 1_000_000).rounded())):\(id.uuidString)"
    }

    static func parse(_ page: PageRequest) throws -> WebhookCursor? {
        guard let after = page.after else { return nil }
        let parts = after.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
            throw APIError.validation("'cursor' is not a cursor this API returned", field: "cursor")
        }
        return WebhookCursor(micros: micros, id: id)
    }
}
