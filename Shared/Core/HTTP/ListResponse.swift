import Hummingbird

/// A whole, unpaginated list as a response body: `{"data": [...]}` (a `Page` when it is paginated).
public struct ListResponse<Element: Encodable & Sendable>: Encodable, Sendable, ResponseEncodable {
    public var data: [Element]

    public init(_ data: [Element]) {
        self.data = data
    }
}
