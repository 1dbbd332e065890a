import NIOCore
import PostgresNIO

extension TimeOrderedCursor {
    /// The cursor's instant as a `timestamptz` parameter, from its whole microseconds with no
    /// floating point on the way, so `(created_at, id) < (\(cursor?.time), \(cursor?.id))`
    /// compares exactly and the listing index `(…, created_at, id)` bounds the scan.
    public var time: Timestamp { Timestamp(microsecondsSince1970: micros) }

    /// A `timestamptz` bound from microseconds since 1970 (PostgreSQL counts them from 2000).
    public struct Timestamp: PostgresEncodable, Sendable {
        static let microsecondsFrom1970To2000: Int64 = 946_684_800_000_000

        public var microsecondsSince1970: Int64

        public static var psqlType: PostgresDataType { .timestamptz }
        public static var psqlFormat: PostgresFormat { .binary }

        public func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
            buffer.writeInteger(microsecondsSince1970 - Self.microsecondsFrom1970To2000)
        }
    }
}
