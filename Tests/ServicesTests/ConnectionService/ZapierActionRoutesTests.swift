import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import NIOCore
import NIOHTTP1
import PostgresNIO
import Testing

/// Zapier actions as Zapier performs them: with the organization's key, a customer created on a
/// Stripe connection, the same action sent again with the same `Idempotency-Key` (Zapier retrying)
/// answering the same record without writing a second, the record then updated, and the push sync
/// sending it to Stripe. Bad input gets a 4xx in the error envelope; a revoked key a 401.
@Suite(.serialized)
struct ZapierActionRoutesTests {
    static let customers = "/api/v1/integrations/zapier/actions/customers"

    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var json: JSONValue
        var text: String
    }

    static func act(_ harness: SyncHarness, _ uri: String = customers, key: String, idempotencyKey: String? = nil, json: String) async throws -> Reply
    {
        var headers: HTTPFields = [.contentType: "application/json", .init("X-API-Key")!: key]
        if let idempotencyKey { headers[.init("Idempotency-Key")!] = idempotencyKey }
        let response = try await harness.service.client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
        let text = String(buffer: response.body)
        return Reply(
            status: response.status,
            headers: response.headers,
            json: (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null,
            text: text
        )
    }

    static func count(_ harness: SyncHarness, connection: String) async throws -> Int {
        let rows = try await harness.hub.dependencies.postgres.query(
            "SELECT count(*)::int FROM sync_records WHERE connection_id = \(UUID(uuidString: connection)!) AND entity = 'customers'",
            logger: harness.logger
        )
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    @Test func anActionSentTwiceWithOneKeyWritesOneRecordThatIsPushed() async throws {
        try await SyncHarness.run(volume: 2) { harness in
            let organization = UUID()
            let token = try await harness.hub.token(organization: organization)
            let connection = try await harness.connectStripe(token)
            let keys = ZapierKeyStore(client: harness.hub.dependencies.postgres, logger: harness.logger)
            let key = try await keys.create(
                by: AuditActor(organizationID: organization, subject: "test", requestID: nil),
                organizationName: "Acme",
                name: nil
            )
            try await harness.withWorkers(1) {
                try await harness.sync(token, connection: connection, entity: "customers")
                let before = try await Self.count(harness, connection: connection)

                let body = #"{"connection_id":"\#(connection)","fields":{"name":"From a Zap","email":"zap@example.com"}}"#
                let first = try await Self.act(harness, key: key.apiKey, idempotencyKey: "zap-run-1", json: body)
                #expect(first.status == .created, "\(first.text)")
                let id = try #require(first.json["id"]?.stringValue, "\(first.text)")
                let retry = try await Self.act(harness, key: key.apiKey, idempotencyKey: "zap-run-1", json: body)
                #expect(retry.status == .created, "the retry answers as the first request did: \(retry.text)")
                #expect(retry.json["id"]?.stringValue == id)
                #expect(retry.headers[.init("Idempotent-Replayed")!] == "true")
                #expect(try await Self.count(harness, connection: connection) == before + 1, "one record for two requests")

                // Two retries of another run at once (Zapier timing out and retrying): still one record.
                let other = #"{"connection_id":"\#(connection)","fields":{"name":"Raced"}}"#
                async let one = Self.act(harness, key: key.apiKey, idempotencyKey: "zap-run-race", json: other)
                async let two = Self.act(harness, key: key.apiKey, idempotencyKey: "zap-run-race", json: other)
                let (a, b) = try await (one, two)
                #expect(a.status == .created && b.status == .created, "\(a.text) \(b.text)")
                #expect(a.json["id"]?.stringValue != nil && a.json["id"]?.stringValue == b.json["id"]?.stringValue)
                #expect(try await Self.count(harness, connection: connection) == before + 2)

                // The key again with another body is the caller's mistake.
                let reused = try await Self.act(
                    harness,
                    key: key.apiKey,
                    idempotencyKey: "zap-run-1",
                    json: #"{"connection_id":"\#(connection)","fields":{"name":"Someone else"}}"#
                )
                #expect(reused.status == .unprocessableContent, "\(reused.text)")
                #expect(reused.json["error"]?["code"]?.stringValue == "idempotency_key_reused")

                // A day later the key is free again, and a write takes the organization's expired keys away.
                let postgres = harness.hub.dependencies.postgres
                try await postgres.query(
                    "UPDATE zapier_action_requests SET created_at = now() - interval '25 hours' WHERE idempotency_key IN ('zap-run-race', 'zap-run-1')",
                    logger: harness.logger
                )
                let later = try await Self.act(harness, key: key.apiKey, idempotencyKey: "zap-run-1", json: other)
                #expect(later.status == .created, "an expired key is a new request: \(later.text)")
                #expect(later.headers[.init("Idempotent-Replayed")!] == nil)
                #expect(later.json["id"]?.stringValue != id)
                #expect(try await Self.count(harness, connection: connection) == before + 3)
                let keys = try await postgres.query(
                    "SELECT idempotency_key FROM zapier_action_requests WHERE org_id = \(organization)",
                    logger: harness.logger
                )
                var kept: [String] = []
                for try await stored in keys.decode(String.self) { kept.append(stored) }
                #expect(kept == ["zap-run-1"], "the expired zap-run-race went with the write")

                // An update of the record (Zapier's "update" with the id it got).
                let update = try await Self.act(
                    harness,
                    key: key.apiKey,
                    idempotencyKey: "zap-run-2",
                    json: #"{"connection_id":"\#(connection)","id":"\#(id)","fields":{"name":"From a Zap, renamed"}}"#
                )
                #expect(update.status == .ok, "\(update.text)")
                #expect(update.json["fields"]?["name"]?.stringValue == "From a Zap, renamed")
                #expect(update.json["fields"]?["email"]?.stringValue == "zap@example.com")

                // The push sync sends the local write to Stripe, as any local write.
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers","direction":"push"}"#)
                let done = try await harness.waitForJob(token, try #require(job["id"]?.stringValue))
                #expect(done["status"]?.stringValue == "completed", "\(done)")
                let record = try await harness.request(.get, "/api/v1/integrations/connections/\(connection)/records/customers/\(id)", token: token)
                let external = try #require(record.json["external_id"]?.stringValue, "\(record.text)")
                let remote = try await harness.stripe(.GET, "customers/\(external)")
                #expect(remote["name"]?.stringValue == "From a Zap, renamed")
                #expect(remote["email"]?.stringValue == "zap@example.com")
            }
        }
    }

    @Test func badInputIsA4xxAndARevokedKeyIsRefused() async throws {
        try await SyncHarness.run(volume: 1) { harness in
            let organization = UUID()
            let token = try await harness.hub.token(organization: organization)
            let connection = try await harness.connectStripe(token)
            let keys = ZapierKeyStore(client: harness.hub.dependencies.postgres, logger: harness.logger)
            let key = try await keys.create(
                by: AuditActor(organizationID: organization, subject: "test", requestID: nil),
                organizationName: "Acme",
                name: nil
            ).apiKey
            let cases: [(String, String, HTTPResponse.Status, String)] = [
                (Self.customers, #"{"connection_id":"nope","fields":{"name":"x"}}"#, .unprocessableContent, "validation_failed"),
                (Self.customers, #"{"connection_id":"\#(connection)","fields":{}}"#, .unprocessableContent, "validation_failed"),
                (Self.customers, #"{"connection_id":"\#(connection)","id":"x","fields":{"name":"x"}}"#, .unprocessableContent, "validation_failed"),
                (Self.customers, #"{"connection_id":"\#(UUID())","fields":{"name":"x"}}"#, .notFound, "not_found"),
                (
                    "/api/v1/integrations/zapier/actions/spaceships", #"{"connection_id":"\#(connection)","fields":{"name":"x"}}"#,
                    .unprocessableContent, "validation_failed"
                ),
                (Self.customers, #"{"connection_id":"\#(connection)","id":"\#(UUID())","fields":{"name":"x"}}"#, .notFound, "not_found"),
            ]
            for (uri, body, status, code) in cases {
                let reply = try await Self.act(harness, uri, key: key, json: body)
                #expect(reply.status == status, "\(body): \(reply.text)")
                #expect(reply.json["error"]?["code"]?.stringValue == code, "\(body): \(reply.text)")
            }
            // A user token is no Zapier key; a revoked key is refused.
            let userToken = try await Self.act(harness, key: token, json: #"{"connection_id":"\#(connection)","fields":{"name":"x"}}"#)
            #expect(userToken.status == .unauthorized)
            let id = try #require(try await keys.list(organization: organization).first?.id)
            #expect(try await keys.revoke(by: AuditActor(organizationID: organization, subject: "test", requestID: nil), id: id) { _ in 0 })
            let revoked = try await Self.act(harness, key: key, json: #"{"connection_id":"\#(connection)","fields":{"name":"x"}}"#)
            #expect(revoked.status == .unauthorized, "\(revoked.text)")
            #expect(revoked.json["error"]?["code"]?.stringValue == "unauthorized")
            #expect(!revoked.text.contains(key))
        }
    }
}
