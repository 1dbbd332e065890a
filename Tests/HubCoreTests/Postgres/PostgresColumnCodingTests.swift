import Foundation
import HubTestSupport
import PostgresNIO
import Testing

@testable import HubCore

/// The hub's JSON values and string enums against a real PostgreSQL: what goes in comes back, and
/// a column of the wrong type or an unknown value is an error, never a default.
@Suite struct PostgresColumnCodingTests {
    enum Color: String, PostgresTextEnum { case red, green }

    static func withClient<T: Sendable>(_ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws -> T {
        try await TestDatabase.withSharedClient(maximumConnections: 1, body)
    }

    static func single<T: PostgresDecodable & Sendable>(_ type: T.Type, _ query: PostgresQuery, on client: PostgresClient) async throws -> T {
        for try await value in try await client.query(query).decode(T.self) { return value }
        throw PostgresDecodingError.Code.missingData
    }

    @Test func jsonValuesRoundTripThroughJSONB() async throws {
        let value: JSONValue = [
            "name": "Ünïcødé \"quoted\" \\ /", "amount": .number(12.5), "count": 3, "flags": [true, false, .null],
            "nested": ["empty": [:], "list": []],
        ]
        let back = try await Self.withClient { try await Self.single(JSONValue.self, "SELECT \(value)::jsonb", on: $0) }
        #expect(back == value)
        let fromJSON = try await Self.withClient { try await Self.single(JSONValue.self, "SELECT '{\"a\": [1, 2]}'::json", on: $0) }
        #expect(fromJSON == ["a": [1, 2]])
    }

    @Test func aColumnOfAnotherTypeIsNotReadAsJSON() async throws {
        await #expect(throws: (any Error).self) {
            try await Self.withClient { try await Self.single(JSONValue.self, "SELECT 42::int4", on: $0) }
        }
    }

    @Test func textEnumsBindAndDecodeByRawValue() async throws {
        let color = try await Self.withClient { try await Self.single(Color.self, "SELECT \(Color.green)::text", on: $0) }
        #expect(color == .green)
    }

    @Test func anUnknownEnumValueIsAnErrorNotADefault() async throws {
        await #expect(throws: (any Error).self) {
            try await Self.withClient { try await Self.single(Color.self, "SELECT 'purple'::text", on: $0) }
        }
    }

    /// Cursors are base64 a caller can forge: an instant no row can have is a 422, not an
    /// overflow in the conversion to PostgreSQL's epoch (a crash) nor a value PostgreSQL refuses.
    @Test func aForgedCursorInstantIsRefusedAndTheLastValidOneBinds() async throws {
        let id = UUID().uuidString
        for micros in [Int64.min, Int64.min + 1, -1, 253_402_300_800_000_000, Int64.max] {
            let page = PageRequest(after: "\(micros):\(id)")
            #expect(throws: APIError.self, "\(micros)") { try TimeOrderedCursor.parse(page) }
        }
        let last = try #require(try TimeOrderedCursor.parse(PageRequest(after: "253402300799999999:\(id)")))
        let back = try await Self.withClient {
            try await Self.single(Int64.self, "SELECT (extract(epoch FROM \(last.time)) * 1000000)::int8", on: $0)
        }
        #expect(back == 253_402_300_799_999_999)
    }

    @Test func aCursorTimeBindsAsTheExactMicrosecond() async throws {
        for micros: Int64 in [1_764_856_800_123_457, 946_684_800_000_000, 0, 1_999_999_999_999_999] {
            let cursor = TimeOrderedCursor(micros: micros, id: UUID())
            let back = try await Self.withClient {
                try await Self.single(Int64.self, "SELECT (extract(epoch FROM \(cursor.time)) * 1000000)::int8", on: $0)
            }
            #expect(back == micros)
        }
    }
}
