import Foundation
import Hummingbird
import NIOCore

/// Reads a JSON request body with the checks a public API owes its callers: the content type
/// (415), the size limit (413), well-formed JSON (400), the right shape (422 naming the field),
/// and, for types that ask for it, no unknown fields (422).
public enum RequestBodyDecoder {
    public static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: HubRequestContext) async throws -> T {
        if let contentType = request.headers[.contentType] {
            let mediaType = contentType.split(separator: ";").first.map { $0.trimmingWhitespace().lowercased() }
            guard mediaType == "application/json" || (mediaType?.hasSuffix("+json") ?? false) else {
                throw APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "the body must be application/json")
            }
        } else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "Content-Type: application/json is required")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, code: "payload_too_large", message: "the request body is larger than \(context.maxBodyBytes) bytes")
        }
        let data = Data(buffer: buffer)
        return try decode(type, from: data)
    }

    /// Decodes bytes that are already in hand, with the same error mapping.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if data.isEmpty {
            throw APIError.badRequest("the request body is empty; a JSON object is expected", code: "malformed_json")
        }
        // PostgreSQL text and jsonb cannot hold NUL: refuse it here, as the caller's error.
        if data.contains(0) || containsEscapedNUL(data) {
            throw APIError.validation("strings may not contain the NUL character (\\u0000)")
        }
        if let fast = type as? any JSONObjectDecodable.Type {
            // The cast cannot fail: `fast` is `T`.
            return try decodeFields(fast, from: data) as! T
        }
        return try decodeWithCodable(type, from: data)
    }

    /// The `Decodable` path: every body type but the `JSONObjectDecodable` ones, which tests hold
    /// to its answers.
    static func decodeWithCodable<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            if let strict = type as? any StrictDecodable.Type {
                return try JSONDecoder.hub.decode(Checked<T>.self, from: data, configuration: strict.allowedFields).value
            }
            return try JSONDecoder.hub.decode(type, from: data)
        } catch let error as DecodingError {
            throw apiError(for: error, body: data)
        }
    }

    /// A `JSONObjectDecodable` body: one pass of `JSONReader`, the same field checks.
    static func decodeFields<T: JSONObjectDecodable>(_ type: T.Type, from data: Data) throws -> T {
        let value = JSONReader.parse(data)
        guard let value else { throw APIError.badRequest("the request body is not valid JSON", code: "malformed_json") }
        return try decode(type, fromValue: value, named: "body")
    }

    /// A `JSONObjectDecodable` from a value already parsed (one item of a batch), refused as a
    /// body would be; `name` is what a non-object is called in the message.
    public static func decode<T: JSONObjectDecodable>(_ type: T.Type, fromValue value: JSONValue, named name: String) throws(APIError) -> T {
        guard case .object(let object) = value else {
            throw APIError.validation(value == .null ? "'\(name)' must not be null" : "'\(name)' must be an object", field: "")
        }
        try refuseUnknownFields(object.keys, allowed: T.allowedFields)
        return try T(fields: JSONFields(object))
    }

    /// 422 naming the first unknown field (by name, after `place`: `requests[1]`) and listing them all.
    static func refuseUnknownFields(_ names: some Sequence<String>, allowed: Set<String>, place: String = "") throws(APIError) {
        let unknown = names.filter { !allowed.contains($0) }.sorted()
        if let first = unknown.first {
            let field = place.isEmpty ? first : "\(place).\(first)"
            throw APIError.validation(
                "unknown field '\(field)'",
                details: ["field": .string(field), "unknown_fields": .array(unknown.map { .string($0) })]
            )
        }
    }

    /// The object `decoder` is at refused for fields outside `allowed`, named by their path from
    /// the body (`requests[1].signature`). A value that is not an object has no fields to check;
    /// its type's decoding names its shape.
    static func refuseUnknownFields(in decoder: any Decoder, allowed: Set<String>) throws {
        guard let object = try? decoder.container(keyedBy: FieldName.self) else { return }
        try refuseUnknownFields(object.allKeys.map(\.stringValue), allowed: allowed, place: path(decoder.codingPath))
    }

    /// Whether the JSON text holds `\u0000` (any hex case) as an escape, not as escaped text.
    static func containsEscapedNUL(_ data: Data) -> Bool {
        data.withUnsafeBytes { containsEscapedNUL(in: $0) }
    }

    private static func containsEscapedNUL(in bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index + 5 < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                if bytes[index + 1] == UInt8(ascii: "u"), bytes[index + 2...index + 5].allSatisfy({ $0 == UInt8(ascii: "0") }) {
                    return true
                }
                index += 2  // skip the escaped character, so `\\u0000` (a backslash, then text) passes
                continue
            }
            index += 1
        }
        return false
    }

    /// `T`, decoded after its body's top-level fields were checked against the allowed ones, from
    /// the one parse of the body: the check does not parse it a second time.
    struct Checked<T: Decodable>: DecodableWithConfiguration {
        var value: T

        init(from decoder: any Decoder, configuration allowed: Set<String>) throws {
            try refuseUnknownFields(in: decoder, allowed: allowed)
            value = try decoder.singleValueContainer().decode(T.self)
        }
    }

    /// Any field name, to list the ones a body holds.
    struct FieldName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// A decoding error of a value that sits at `field` of a body and was decoded on its own
    /// (`body` is that value's JSON), as the 422 naming its place in the body.
    public static func apiError(for error: DecodingError, nestedAt field: String, body: Data) -> APIError {
        apiError(for: error, body: body, prefix: [FieldName(stringValue: field)])
    }

    static func apiError(for error: DecodingError, body: Data? = nil, prefix: [any CodingKey] = []) -> APIError {
        let path = { (codingPath: [any CodingKey]) in Self.path(prefix + codingPath) }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // On Linux a number its field cannot hold (a fraction or too large for a whole number)
            // comes without its path and as "not valid JSON"; the body parses, so say what it is.
            if let body, JSONReader.parse(body) != nil {
                return .validation("a number does not fit its field: a fraction, or too large, where a whole number is expected")
            }
            return APIError.badRequest("the request body is not valid JSON", code: "malformed_json")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            // "must be one of …" (APIEnumeration) reads after the field's name as it is.
            let separator = context.debugDescription.hasPrefix("must ") ? " " : ": "
            return .validation("'\(field)'\(separator)\(context.debugDescription)", field: field)
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .validation("'\(field)' is required", field: field)
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return .validation("'\(field.isEmpty ? "body" : field)' must not be null", field: field)
        case .typeMismatch(let expected, let context):
            let field = path(context.codingPath)
            return .validation("'\(field.isEmpty ? "body" : field)' must be \(describe(expected))", field: field)
        @unknown default:
            return APIError.badRequest("the request body could not be read", code: "malformed_json")
        }
    }

    /// `lines[0].amount` style paths.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        // JSONDecoder names an object it expected `[String: Any]`; a dictionary is a Collection too.
        case is [String: Any].Type: "an object"
        case is [Any].Type: "an array"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}

/// Request bodies whose unknown fields are an error (a misspelt optional field would otherwise
/// be ignored silently).
public protocol StrictDecodable: Decodable {
    static var allowedFields: Set<String> { get }
}

/// A `StrictDecodable` inside a body (each item of a batch: `[Strict<Item>]`), refused for
/// unknown fields as a body is: `RequestBodyDecoder` checks only a body's top level.
public struct Strict<T: StrictDecodable>: Decodable {
    public var value: T

    public init(from decoder: any Decoder) throws {
        try RequestBodyDecoder.refuseUnknownFields(in: decoder, allowed: T.allowedFields)
        value = try T(from: decoder)
    }
}

/// A strict body read in one pass of `JSONReader` rather than through `Decodable`: for bodies
/// posted thousands of times a second (`POST /events`), where `JSONDecoder` reaching the
/// `JSONValue` inside tries each case in turn and throws for every miss. `init(fields:)` must
/// refuse as the `Decodable` path would: tests hold each conforming type's two paths to the
/// same answers.
public protocol JSONObjectDecodable: StrictDecodable {
    init(fields: JSONFields) throws(APIError)
}

/// A body's top-level fields, read with the errors the `Decodable` path gives.
public struct JSONFields: Sendable {
    public let object: [String: JSONValue]

    public init(_ object: [String: JSONValue]) {
        self.object = object
    }

    /// A required string.
    public func string(_ key: String) throws(APIError) -> String {
        switch object[key] {
        case .string(let value)?: return value
        case nil: throw .validation("'\(key)' is required", field: key)
        case .null?: throw .validation("'\(key)' must not be null", field: key)
        default: throw .validation("'\(key)' must be a string", field: key)
        }
    }

    /// A string, or nil when absent or null.
    public func optionalString(_ key: String) throws(APIError) -> String? {
        switch object[key] {
        case .string(let value)?: return value
        case nil, .null?: return nil
        default: throw .validation("'\(key)' must be a string", field: key)
        }
    }

    /// Any JSON value, or nil when absent or null.
    public func optionalValue(_ key: String) -> JSONValue? {
        switch object[key] {
        case nil, .null?: nil
        case let value?: value
        }
    }
}

extension Request {
    /// Decodes the JSON body with the hub's checks; see `RequestBodyDecoder`.
    public func decodeJSON<T: Decodable>(as type: T.Type, context: HubRequestContext) async throws -> T {
        try await RequestBodyDecoder.decode(type, from: self, context: context)
    }
}
