import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ProviderSandbox

/// The sandbox's inbox keeps what was posted to it, headers and body, per name, newest 100.
@Suite struct RequestInboxTests {
    struct Listing: Decodable {
        struct Item: Decodable {
            var headers: [String: String]
            var body: String
        }
        var data: [Item]
    }

    @Test func postedRequestsAreListedPerInboxAndCapped() async throws {
        let app = Application(router: ProviderSandbox(configuration: SandboxConfiguration()).buildRouter())
        try await app.test(.router) { client in
            let posted = try await client.execute(
                uri: "/_inbox/demo",
                method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("webhook-id")!: "msg_1"],
                body: ByteBuffer(string: #"{"type":"customer.created"}"#)
            )
            #expect(posted.status == .noContent)
            for n in 0..<(RequestInbox.capacity + 5) {
                _ = try await client.execute(uri: "/_inbox/busy", method: .post, body: ByteBuffer(string: "\(n)"))
            }

            let demo = try JSONDecoder().decode(Listing.self, from: Data(buffer: try await client.execute(uri: "/_inbox/demo", method: .get).body))
            #expect(demo.data.count == 1)
            #expect(demo.data.first?.body == #"{"type":"customer.created"}"#)
            #expect(demo.data.first?.headers["webhook-id"] == "msg_1")

            let busy = try JSONDecoder().decode(Listing.self, from: Data(buffer: try await client.execute(uri: "/_inbox/busy", method: .get).body))
            #expect(busy.data.count == RequestInbox.capacity)
            #expect(busy.data.first?.body == "5", "the oldest go first")

            #expect(try await client.execute(uri: "/_inbox/demo", method: .delete).status == .noContent)
            let emptied = try JSONDecoder().decode(Listing.self, from: Data(buffer: try await client.execute(uri: "/_inbox/demo", method: .get).body))
            #expect(emptied.data.isEmpty)
        }
    }

    /// `?status=` makes a failing subscriber: the request is kept and answered as asked; a status
    /// that is not one is refused.
    @Test func anInboxAnswersTheStatusItIsAsked() async throws {
        let app = Application(router: ProviderSandbox(configuration: SandboxConfiguration()).buildRouter())
        try await app.test(.router) { client in
            func post(_ status: String, _ body: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/_inbox/gone?status=\(status)", method: .post, body: ByteBuffer(string: body)).status
            }
            #expect(try await post("410", "a") == .gone)
            #expect(try await post("503", "b") == .serviceUnavailable)
            for bad in ["99", "600", "gone"] {
                #expect(try await post(bad, "c") == .badRequest, "status=\(bad)")
            }
            let kept = try JSONDecoder().decode(Listing.self, from: Data(buffer: try await client.execute(uri: "/_inbox/gone", method: .get).body))
            #expect(kept.data.map(\.body) == ["a", "b"], "kept whatever it answered; a refused one not kept")
        }
    }
}
