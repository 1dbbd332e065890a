import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// What every response body and error of the shared plumbing looks like on the wire: lowercase
/// identifiers, `/` unescaped, `next_cursor` always present, 405 with `Allow` for a method a path
/// does not have.
struct ResponseContractTests {
    struct Thing: Encodable, ResponseEncodable {
        var id: UUID
        var owner: UUID?
        var url: URL
        var path: String
        var createdAt: Date
        var tags: [UUID]
        var byID: [String: UUID]
    }

    static let id = UUID(uuidString: "0193A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B")!

    static func thing() -> Thing {
        Thing(
            id: id,
            owner: nil,
            url: URL(string: "https://example.com/a/b")!,
            path: "/api/v1/x",
            createdAt: Date(timeIntervalSince1970: 1_700_000_000),
            tags: [id],
            byID: ["k": id]
        )
    }

    @Test func identifiersAreLowercaseAndSlashesUnescaped() throws {
        let text = String(decoding: try JSONValue(encoding: Self.thing()).encoded(), as: UTF8.self)
        let lower = Self.id.uuidString.lowercased()
        #expect(
            text
                == #"{"byID":{"k":"\#(lower)"},"createdAt":"2023-11-14T22:13:20Z","id":"\#(lower)","path":"/api/v1/x","tags":["\#(lower)"],"url":"https://example.com/a/b"}"#
        )
        #expect(!text.contains(#"\/"#))
        #expect(!text.contains(Self.id.uuidString))
    }

    @Test func theWriterOfJSONValueDoesNotEscapeSlashes() {
        let value: JSONValue = ["url": "https://example.com/a/b", "list": ["a/b"]]
        #expect(String(decoding: value.encoded(), as: UTF8.self) == #"{"list":["a/b"],"url":"https://example.com/a/b"}"#)
    }

    @Test func aLastPageWritesNextCursorAsNull() throws {
        let last = Page(rows: [1, 2], limit: 5) { String($0) }
        #expect(String(decoding: try JSONValue(encoding: last).encoded(), as: UTF8.self) == #"{"data":[1,2],"next_cursor":null}"#)
        let more = Page(rows: [1, 2, 3], limit: 2) { String($0) }
        #expect(try JSONValue(encoding: more) == ["data": [1, 2], "next_cursor": .string(PageRequest.encode("2"))])
    }

    @Test func encodingMatchesJSONEncoderApartFromIdentifiers() throws {
        struct Mixed: Encodable {
            var a: Int = 3
            var b: Double = 2.5
            var c: Bool = true
            var d: String? = nil
            var e: [String: [Int]] = ["x": [1, 2]]
            var f: String = "quote \" and \\ and \n"
        }
        let ours = try JSONDecoder().decode(JSONValue.self, from: Data(try JSONValue(encoding: Mixed()).encoded()))
        let theirs = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder.hub.encode(Mixed()))
        #expect(ours == theirs)
    }

    @Test func responsesAndLocationUseLowercaseIdentifiers() async throws {
        let hub = try await TestHub.make(service: .catalog)
        let router = HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: OpenAPIDocument(bytes: Array("{}".utf8))) { routes in
            routes.router.get("things/:id") { _, _ in Self.thing() }
            routes.router.delete("things/:id") { _, _ in HTTPResponse.Status.noContent }
            routes.router.get("things/special") { _, _ in "special" }
            routes.router.post("things") { _, _ in HTTPResponse.Status.created }
        }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/things/1", method: .get)
            #expect(response.status == .ok)
            let body = String(buffer: response.body)
            #expect(body.contains(Self.id.uuidString.lowercased()))
            #expect(!body.contains(#"\/"#))
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
        }
    }

    @Test func aMethodThePathDoesNotHaveIs405WithAllowInTheEnvelope() async throws {
        let hub = try await TestHub.make(service: .catalog)
        let router = HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: OpenAPIDocument(bytes: Array("{}".utf8))) { routes in
            routes.router.get("things/:id") { _, _ in "thing" }
            routes.router.delete("things/:id") { _, _ in HTTPResponse.Status.noContent }
            routes.router.get("things/special") { _, _ in "special" }
            routes.api.post("things") { _, _ in HTTPResponse.Status.created }
        }
        try await Application(router: router).test(.router) { client in
            let put = try await client.execute(uri: "/things/1", method: .put)
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "DELETE, GET")
            #expect(put.headers[.contentType] == "application/json; charset=utf-8")
            let error = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: put.body))
            #expect(error["error"]?["code"] == "method_not_allowed")

            // The constant segment wins, as the router resolves it.
            let special = try await client.execute(uri: "/things/special", method: .delete)
            #expect(special.status == .methodNotAllowed)
            #expect(special.headers[.allow] == "GET")

            let getThings = try await client.execute(uri: "/api/v1/things", method: .get)
            #expect(getThings.status == .methodNotAllowed)
            #expect(getThings.headers[.allow] == "POST")

            let unknown = try await client.execute(uri: "/nothing/here", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.allow] == nil)
            let served = try await client.execute(uri: "/things/special", method: .get)
            #expect(served.status == .ok)
        }
    }
}
