import NIOCore
import PostgresNIO

/// A string enum kept in a `text` column: it binds as its raw value, and a stored value it has no
/// case for is a decoding error rather than a silent default.
public protocol PostgresTextEnum: RawRepresentable, PostgresCodable where RawValue == String {}

extension PostgresTextEnum {
    public static var psqlType: PostgresDataType { .text }
    public static var psqlFormat: PostgresFormat { .binary }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeString(rawValue)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer,
        type: PostgresDataType,
        format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        let raw = try String(from: &buffer, type: type, format: format, context: context)
        guard let value = Self(rawValue: raw) else { throw PostgresDecodingError.Code.failure }
        self = value
    }
}
