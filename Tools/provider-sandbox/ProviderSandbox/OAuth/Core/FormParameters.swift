import Foundation
import Hummingbird

/// The parameters of a query string or a request body, decoded the way browsers and HTTP clients
/// encode them: `application/x-www-form-urlencoded` (`+` is a space, `%XX` escapes) or a flat JSON
/// object (Shopify's token exchange). The authorization servers read every request through this one
/// type so each provider's route only states which names it needs.
struct FormParameters: Sendable, Equatable {
    /// Name–value pairs in arrival order; a repeated name keeps every value.
    private(set) var pairs: [(name: String, value: String)]

    init(pairs: [(name: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// Parses `a=1&b=two+words&c=%26`.
    init(encoded: some StringProtocol) {
        pairs = encoded.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            return (name, value)
        }
    }

    /// Parses a flat JSON object; strings are taken as they are, numbers and booleans as their text.
    init?(json bytes: some Collection<UInt8>) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        pairs = object.keys.sorted().compactMap { key in
            switch object[key] {
            case let string as String: (key, string)
            case let number as NSNumber: (key, number.stringValue)
            default: nil
            }
        }
    }

    /// The first value named `name`, or nil.
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The first non-empty value named `name`.
    func nonEmpty(_ name: String) -> String? {
        guard let value = self[name], !value.isEmpty else { return nil }
        return value
    }

    static func == (lhs: FormParameters, rhs: FormParameters) -> Bool {
        lhs.pairs.map(\.name) == rhs.pairs.map(\.name) && lhs.pairs.map(\.value) == rhs.pairs.map(\.value)
    }

    // MARK: Reading requests

    /// The request's query string.
    static func query(of request: Request) -> FormParameters {
        FormParameters(encoded: request.uri.query ?? "")
    }

    /// The request's body: JSON when the content type says so, form encoding otherwise.
    static func body(of request: Request, context: SandboxContext) async throws -> FormParameters {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let bytes = buffer.readableBytesView
        if request.headers[.contentType]?.lowercased().contains("json") == true {
            return FormParameters(json: bytes) ?? FormParameters()
        }
        return FormParameters(encoded: String(decoding: bytes, as: UTF8.self))
    }

    // MARK: Encoding

    /// Characters left as they are in a query component: RFC 3986 unreserved.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes one query component (spaces as `%20`).
    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// `name=value&…` with every component encoded.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    private static func decode(_ component: some StringProtocol) -> String {
        let spaced = component.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
