import Foundation
import HubCore
@testable import HubWebhooks
import XCTest

final class AcceptedEventTests: XCTestCase {
    /// `POST /events` answers with `json` (the fast writer); it must say what `Encodable` says.
    func testTheResponseBodyEqualsItsEncodableForm() throws {
        let event = AcceptedEvent(
            id: UUID(), type: "invoice.paid", createdAt: Date(timeIntervalSince1970: 1_795_000_123.4), deliveries: 3, created: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let viaEncodable = try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(event))
        XCTAssertEqual(event.json, viaEncodable)
        XCTAssertEqual(event.json["id"]?.stringValue, "evt_" + event.id.uuidString.lowercased())
    }
}
