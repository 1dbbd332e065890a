import Foundation

/// The position in a newest-first listing ordered by `(created_at, id)`: the last row's creation
/// time in microseconds and its id, written `<micros>:<uuid>` inside the opaque page cursor.
/// Connections, sync jobs, records, subscriptions and deliveries all page this way.
public struct TimeOrderedCursor: Sendable, Equatable {
    public var micros: Int64
    public var id: UUID

    /// The key of a row, for `Page(rows:limit:key:)`.
    public static func key(createdAt: Date, id: UUID) -> String {
        "\(Int64((createdAt.timeIntervalSince1970 * 1_000_000).rounded())):\(id.uuidString)"
    }

    /// The cursor of a page request, nil for the first page; a 422 for a key this API never made.
    public static func parse(_ page: PageRequest) throws -> TimeOrderedCursor? {
        guard let after = page.after else { return nil }
        let parts = after.split(separator: ":", maxSplits: 1)
        // A cursor is base64 a caller can forge: its instant must be one a row can have, or its
        // conversion to PostgreSQL's epoch would overflow (a crash) or PostgreSQL would refuse it.
        guard parts.count == 2, let micros = Int64(parts[0]), validMicros.contains(micros), let id = UUID(uuidString: String(parts[1])) else {
            throw PageRequest.foreignCursor
        }
        return TimeOrderedCursor(micros: micros, id: id)
    }

    /// 1970 to the end of year 9999, in microseconds since 1970: every `created_at` the hub writes.
    static let validMicros: ClosedRange<Int64> = 0...253_402_300_799_999_999
}
