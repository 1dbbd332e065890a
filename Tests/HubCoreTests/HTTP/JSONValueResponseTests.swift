import Foundation
import HubCore
import Hummingbird
import HummingbirdTesting
import XCTest

final class JSONValueResponseTests: XCTestCase {
    func testTheBodyStatusAndHeadersAreHummingbirdsJSONResponse() async throws {
        let router = Router()
        router.post("made") { _, _ in
            JSONValueResponse(
                status: .accepted,
                body: ["b": "x/y", "a": [.number(1), .number(2.5)], "when": JSONValueResponse.date(Date(timeIntervalSince1970: 1_795_000_000.9))]
            )
        }
        router.get("encoded") { _, _ -> [String: String] in ["a": "1"] }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/made", method: .post)
            XCTAssertEqual(response.status, .accepted)
            XCTAssertEqual(String(buffer: response.body), #"{"a":[1,2.5],"b":"x/y","when":"2026-11-18T11:06:40Z"}"#)
            XCTAssertEqual(response.headers[.contentLength], String(response.body.readableBytes))
            let reference = try await client.execute(uri: "/encoded", method: .get)
            XCTAssertEqual(response.headers[.contentType], reference.headers[.contentType], "the content type Hummingbird's JSON responses carry")
        }
    }

    func testDatesAreWrittenAsTheHubsEncoderWritesThem() throws {
        let date = Date(timeIntervalSince1970: 1_795_000_000.9)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let encoded = String(decoding: try encoder.encode([date]), as: UTF8.self)
        XCTAssertEqual(encoded, "[\"\(JSONValueResponse.date(date).stringValue ?? "")\"]")
    }
}
