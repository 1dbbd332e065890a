import Foundation
import Hummingbird
import HummingbirdCore

/// `?limit=&cursor=` on list routes. The cursor is opaque to clients (base64url of the last
/// key seen), so the storage order can change without breaking them.
public struct PageRequest: Sendable, Equatable {
    public static let defaultLimit = 50
    public static let maximumLimit = 200

    public var limit: Int
    /// The key after which to continue, decoded from the cursor.
    public var after: String?

    public init(limit: Int = PageRequest.defaultLimit, after: String? = nil) {
        self.limit = limit
        self.after = after
    }

    /// Reads and validates `limit` and `cursor`, answering 422 for bad values.
    public init(query: URI) throws {
        let parameters = query.queryParameters
        var limit = Self.defaultLimit
        if let raw = parameters["limit"] {
            guard let value = Int(String(raw)), (1...Self.maximumLimit).contains(value) else {
                throw APIError.validation("'limit' must be a whole number from 1 to \(Self.maximumLimit)", field: "limit")
            }
            limit = value
        }
        var after: String?
        if let raw = parameters["cursor"], !raw.isEmpty {
            guard let decoded = Self.decode(String(raw)) else {
                throw Self.foreignCursor
            }
            after = decoded
        }
        self.init(limit: limit, after: after)
    }

    /// The cursor's key as a row number (cursors of lists ordered by a serial id), nil on the
    /// first page; a key that is not one is refused as any forged cursor is.
    public func afterNumber() throws -> Int64? {
        guard let after else { return nil }
        guard let number = Int64(after), number >= 0 else {
            throw Self.foreignCursor
        }
        return number
    }

    /// The refusal of a cursor this API did not make (or that names nothing it could have).
    public static let foreignCursor = APIError.validation("'cursor' is not a cursor this API returned", field: "cursor")

    public static func encode(_ key: String) -> String {
        Data(key.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) -> String? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}

/// One page of a list: `{"data": [...], "next_cursor": "..." | null}`.
public struct Page<Element: Encodable & Sendable>: Encodable, Sendable, ResponseEncodable {
    public var data: [Element]
    public var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }

    /// `next_cursor` is always written, `null` on the last page (the documents require it).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        try container.encode(nextCursor, forKey: .nextCursor)
    }

    /// Builds a page from up to `limit + 1` rows: the extra row only says there is more.
    public init(rows: [Element], limit: Int, key: (Element) -> String) {
        if rows.count > limit {
            data = Array(rows.prefix(limit))
            nextCursor = data.last.map { PageRequest.encode(key($0)) }
        } else {
            data = rows
            nextCursor = nil
        }
    }
}
