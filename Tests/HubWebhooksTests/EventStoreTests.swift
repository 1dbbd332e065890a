import Foundation
import HubCore
import HubTestSupport
@testable import HubWebhooks
import Logging
import PostgresNIO
import XCTest

/// How a batch of events accepted together (one transaction) answers each of them, against the
/// shared test database; every test uses organizations of its own.
final class EventStoreTests: XCTestCase {
    /// An event refused inside a committed transaction (its id belongs to another organization)
    /// must not make the batch's other events look like duplicates.
    func testAnEventRefusedInABatchLeavesTheOthersCreated() async throws {
        try await Self.withStore { client, logger in
            let taken = EventStore.NewEvent(organizationID: UUID(), type: "invoice.paid", data: [:], source: .hub)
            let first = await EventStore.commitBatch([.init(event: taken)], client: client, logger: logger)
            XCTAssertEqual(try first[0].get().created, true)

            var forged = taken
            forged.organizationID = UUID()
            let fresh = EventStore.NewEvent(organizationID: forged.organizationID, type: "invoice.paid", data: [:], source: .hub)
            let outcomes = await EventStore.commitBatch([.init(event: forged), .init(event: fresh)], client: client, logger: logger)
            XCTAssertEqual(outcomes.count, 2)
            XCTAssertEqual(Self.errorCode(outcomes[0]), "event_id_conflict")
            let accepted = try outcomes[1].get()
            XCTAssertEqual(accepted.id, fresh.id)
            XCTAssertTrue(accepted.created, "the fresh event was answered as a duplicate")
        }
    }

    /// A batch whose transaction fails (one event PostgreSQL cannot store) is retried one event
    /// at a time: the bad event fails alone and the others are created.
    func testAFailedTransactionIsRetriedOneEventAtATime() async throws {
        try await Self.withStore { client, logger in
            let organization = UUID()
            let unstorable = EventStore.NewEvent(organizationID: organization, type: "invoice.\u{0}", data: [:], source: .hub)
            let fresh = EventStore.NewEvent(organizationID: organization, type: "invoice.paid", data: [:], source: .hub)
            let outcomes = await EventStore.commitBatch([.init(event: unstorable), .init(event: fresh)], client: client, logger: logger)
            XCTAssertEqual(outcomes.count, 2)
            guard case .failure(let error) = outcomes[0] else { return XCTFail("a type with a NUL byte was stored") }
            XCTAssertTrue(error is PostgresTransactionError, "not the transaction's failure: \(error)")
            XCTAssertEqual(try outcomes[1].get().created, true)
        }
    }

    /// One event twice in a batch (a stream entry read twice) is written once: the first is
    /// created, the repeat answered as the existing event, and the process does not trap.
    func testOneEventTwiceInABatchIsWrittenOnce() async throws {
        try await Self.withStore { client, logger in
            let event = EventStore.NewEvent(organizationID: UUID(), type: "invoice.paid", data: [:], source: .hub)
            let outcomes = await EventStore.commitBatch([.init(event: event), .init(event: event)], client: client, logger: logger)
            XCTAssertEqual(outcomes.count, 2)
            XCTAssertEqual(try outcomes[0].get().created, true)
            let repeated = try outcomes[1].get()
            XCTAssertEqual(repeated.id, event.id)
            XCTAssertFalse(repeated.created, "the repeat was answered as a second event")
        }
    }

    static func errorCode(_ outcome: Result<AcceptedEvent, any Error>) -> String? {
        guard case .failure(let error) = outcome else { return nil }
        return (error as? APIError)?.code
    }

    /// Runs `body` with a client of the migrated shared test database.
    static func withStore(_ body: @escaping @Sendable (PostgresClient, Logger) async throws -> Void) async throws {
        guard let url = DatabaseURL(string: try TestEnvironment.databaseURL) else {
            throw TestEnvironmentError.missing("HUB_TEST_DATABASE_URL (as a postgres:// URL)")
        }
        let logger = Logger(label: "test.event-store")
        try await TestDatabase.withClient(url) { client in
            try await Migrator(client: client, logger: logger).migrate(Migration.bundled())
            try await body(client, logger)
        }
    }
}
