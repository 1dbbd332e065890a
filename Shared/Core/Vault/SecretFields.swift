import Foundation

/// Named secret values (`api_key`, `access_token`, `client_secret`, `webhook_secret`): the
/// plaintext of one sealed column. Every value is secret by type — nothing here is chosen by a list
/// of key names — and none is ever printed: `description` lists the names only.
public struct SecretFields: Sendable, Equatable {
    public private(set) var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    public subscript(name: String) -> String? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// The names that hold a value, sorted: what an API response may say about credentials.
    public var names: [String] { values.keys.sorted() }

    public var isEmpty: Bool { values.isEmpty }

    public mutating func merge(_ other: [String: String]) {
        values.merge(other) { _, new in new }
    }

    /// A compact, canonical encoding: JSON with sorted keys.
    func encoded() throws(VaultError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        do { return Array(try encoder.encode(values)) } catch { throw .sealingFailed }
    }

    init(encoded bytes: [UInt8]) throws(VaultError) {
        do {
            values = try JSONDecoder().decode([String: String].self, from: Data(bytes))
        } catch {
            throw .malformedPlaintext
        }
    }
}

extension SecretFields: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "SecretFields(\(names.joined(separator: ", ")): ***)" }
    public var debugDescription: String { description }
}
