import Foundation
import HubCore
import XCTest

@testable import HubWebhooks

final class AcceptedEventTests: XCTestCase {
    /// What `POST /events` and a test event answer with: the public id, the type, the time in
    /// whole seconds UTC (as `JSONEncoder`'s `.iso8601` writes it, `JSONValueResponseTests`), and
    /// the delivery count; `created` is said by the status (202 or 200), not the body.
    func testTheResponseBodyNamesTheEventItsTimeAndItsDeliveries() throws {
        let event = AcceptedEvent(
            id: UUID(uuidString: "01A20ABE-B022-72E0-8FBB-F444B6BA3999")!,
            type: "invoice.paid",
            createdAt: Date(timeIntervalSince1970: 1_795_000_123.4),
            deliveries: 3,
            created: true
        )
        XCTAssertEqual(
            event.json,
            [
                "id": "evt_01a20abe-b022-72e0-8fbb-f444b6ba3999", "type": "invoice.paid", "created_at": "2026-11-18T11:08:43Z",
                "deliveries": 3,
            ]
        )
        XCTAssertEqual(
            String(decoding: event.json.encoded(), as: UTF8.self),
            #"{"created_at":"2026-11-18T11:08:43Z","deliveries":3,"id":"evt_01a20abe-b022-72e0-8fbb-f444b6ba3999","type":"invoice.paid"}"#
        )
    }
}
