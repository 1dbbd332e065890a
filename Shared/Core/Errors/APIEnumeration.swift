/// A request body's field that takes one of a fixed list of names: a name outside it is refused
/// with the list ("'direction' must be one of pull, push, bidirectional"), where Swift's own
/// decoding says "Cannot initialize SyncDirection from invalid String value …".
public protocol APIEnumeration: RawRepresentable, CaseIterable, Decodable where RawValue == String {}

extension APIEnumeration {
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: name) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "must be one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
            )
        }
        self = value
    }
}
