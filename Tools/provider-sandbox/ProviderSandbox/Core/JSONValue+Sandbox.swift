import Foundation
import HubConnectors
import HubCore
import Hummingbird

/// A JSON object as the emulated providers hold one.
typealias JSONObject = [String: JSONValue]

/// Reading the loosely shaped values of provider requests and objects, beyond HubCore's
/// accessors (`["key"]`, `stringValue`, `numberValue`, `arrayValue`, …).
extension JSONValue {
    /// The strings of an array (nil when this is not an array).
    var strings: [String]? {
        arrayValue?.compactMap(\.stringValue)
    }

    /// An integer from an integral number, or from a string of digits (`intValue` reads only
    /// numbers): form bodies carry every value as a string, and clients send ids either way.
    var integer: Int? {
        switch self {
        case .number(let value) where value.rounded() == value && abs(value) < Self.exactIntegers: Int(value)
        case .string(let value): Int(value)
        default: nil
        }
    }

    /// `integer` as the 64-bit ids some providers use.
    var int64: Int64? {
        integer.map(Int64.init)
    }

    /// An integer value.
    static func int(_ value: some BinaryInteger) -> JSONValue {
        .number(Double(value))
    }

    /// Integers below 2^53 are exact as `Double`.
    static let exactIntegers = 9_007_199_254_740_992.0

    /// Parses a request body, or nil when it is not JSON.
    static func parse(_ buffer: ByteBuffer) -> JSONValue? {
        buffer.withUnsafeReadableBytes { raw in JSONReader.parse(raw.bindMemory(to: UInt8.self)) }
    }

    /// Reads a request's JSON body, or nil when it is not JSON.
    static func body(of request: Request, context: SandboxContext) async throws -> JSONValue? {
        parse(try await request.body.collect(upTo: context.maxUploadSize))
    }
}
