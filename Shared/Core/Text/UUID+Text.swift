import Foundation
import Logging

/// Identifiers are written in lowercase everywhere the hub writes them (RFC 9562 §4: "UUIDs
/// SHOULD be output as lowercase"), as every system it talks to writes them. Foundation's `UUID`
/// describes itself in uppercase; this overload makes every `"\(id)"` in a module that imports
/// HubCore (log metadata, paths, messages, Redis keys) write the lowercase form. JSON bodies get
/// the same from `JSONValue(encoding:)`.
extension DefaultStringInterpolation {
    public mutating func appendInterpolation(_ id: UUID) {
        appendLiteral(id.uuidString.lowercased())
    }
}

/// Log metadata has its own interpolation (`"\(id)"` as a `Logger.MetadataValue`): the same there.
extension Logger.MetadataValue.StringInterpolation {
    public mutating func appendInterpolation(_ id: UUID) {
        appendLiteral(id.uuidString.lowercased())
    }
}
