import Hummingbird

extension Parameters {
    /// The query parameter `name` as one of `T`'s cases, nil when absent; any other value, empty
    /// included, is a 422 that lists the accepted ones.
    public func enumeration<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let raw = self[Substring(name)].map(String.init) else { return nil }
        guard let value = T(rawValue: raw) else {
            throw APIError.validation("'\(name)' must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))", field: name)
        }
        return value
    }
}
