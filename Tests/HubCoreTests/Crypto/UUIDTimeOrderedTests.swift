import Foundation
import HubCore
import HubTestSupport
import Logging
import PostgresNIO
import XCTest

final class UUIDTimeOrderedTests: XCTestCase {
    func testLayoutIsVersion7WithTheMillisecondFirst() {
        let date = Date(timeIntervalSince1970: 1_795_000_000.123_9)
        for _ in 0..<100 {
            let id = UUID.timeOrdered(at: date)
            let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
            XCTAssertEqual(bytes[6] >> 4, 7, "version 7")
            XCTAssertEqual(bytes[8] >> 6, 0b10, "RFC 9562 variant")
            let milliseconds = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            XCTAssertEqual(milliseconds, 1_795_000_000_123)
        }
        XCTAssertNotEqual(UUID.timeOrdered(at: date), UUID.timeOrdered(at: date), "the rest is random")
    }

    func testIdsOfLaterMillisecondsSortAfterEarlierOnes() {
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        // Half a millisecond in, so floating point cannot put two of them in one millisecond.
        let ids = (0..<1_000).map { UUID.timeOrdered(at: start.addingTimeInterval((Double($0) + 0.5) / 1_000)) }
        // Lower-case text, as PostgreSQL compares uuids: byte order.
        let text = ids.map { $0.uuidString.lowercased() }
        XCTAssertTrue(text == text.sorted(), "not in time order")
    }

    func testTheSQLFunctionMakesTheSameLayout() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { try? await database.drop() }
        let (ids, before, after) = try await TestDatabase.withClient(database.url) { client in
            _ = try await Migrator(client: client, logger: Logger(label: "test")).migrate(try Migration.bundled())
            let before = Date()
            var ids: [UUID] = []
            for try await id in try await client.query("SELECT hub_uuid_v7() FROM generate_series(1, 200)").decode(UUID.self) {
                ids.append(id)
            }
            return (ids, before, Date())
        }
        XCTAssertEqual(Set(ids).count, 200)
        for id in ids {
            let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
            XCTAssertEqual(bytes[6] >> 4, 7)
            XCTAssertEqual(bytes[8] >> 6, 0b10)
            let milliseconds = Double(bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            XCTAssertGreaterThanOrEqual(milliseconds, (before.timeIntervalSince1970 * 1_000).rounded(.down) - 1_000, "clocks of one machine")
            XCTAssertLessThanOrEqual(milliseconds, after.timeIntervalSince1970 * 1_000 + 1_000)
        }
    }
}
