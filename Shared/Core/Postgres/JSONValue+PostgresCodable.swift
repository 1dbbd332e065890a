import NIOCore
import PostgresNIO

/// A `JSONValue` binds as `jsonb` and decodes from `jsonb` or `json` columns, read and written in
/// one pass by the hub's own JSON reader and writer rather than through `Codable`. Any other
/// column type, or bytes that are not JSON, is a decoding error, never a default value.
extension JSONValue: PostgresCodable {
    public static var psqlType: PostgresDataType { .jsonb }
    public static var psqlFormat: PostgresFormat { .binary }

    /// The version byte of `jsonb`'s binary form.
    static let jsonbVersion: UInt8 = 1

    public func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(Self.jsonbVersion)
        buffer.writeBytes(encoded())
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer,
        type: PostgresDataType,
        format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        switch (format, type) {
        case (.binary, .jsonb):
            guard buffer.readInteger(as: UInt8.self) == Self.jsonbVersion else { throw PostgresDecodingError.Code.failure }
        case (.binary, .json), (.text, .jsonb), (.text, .json), (_, .text):
            // `text` columns that hold JSON the hub wrote (sync_records, 0026): parsed here as `json` would be.
            break
        default:
            throw PostgresDecodingError.Code.typeMismatch
        }
        let parsed =
            buffer.readableBytesView.withContiguousStorageIfAvailable { JSONReader.parse($0) } ?? JSONReader.parse(Array(buffer.readableBytesView))
        guard let value = parsed else { throw PostgresDecodingError.Code.failure }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        self = value
    }
}
