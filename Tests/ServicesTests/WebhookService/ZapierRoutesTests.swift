import Foundation
import HubCore
import HubTestSupport
import HubWebhooks
import Hummingbird
import PostgresNIO
import Testing

/// The hub as a Zapier app's API, driven as Zapier drives it: the organization creates a key,
/// Zapier tests it on `/me`, subscribes a REST hook, receives signed deliveries at its hook URL
/// (a local HTTP server here), answers `410 Gone` once the Zap is off and is unsubscribed, polls
/// for sample data; a revoked key is refused.
@Suite(.serialized)
struct ZapierRoutesTests {
    static let keys = "/api/v1/integrations/zapier/keys"

    /// What Zapier sends: the key in `X-API-Key` (its API-key authentication's usual header).
    static func zapier(
        _ harness: WebhookHarness,
        _ method: HTTPRequest.Method,
        _ uri: String,
        key: String,
        json: String? = nil
    ) async throws
        -> WebhookHarness.Reply
    {
        try await harness.request(method, uri, token: nil, json: json, headers: [.init("X-API-Key")!: key])
    }

    /// Creates a key for the organization through the API; its text and id.
    static func createKey(
        _ harness: WebhookHarness,
        token: String,
        organizationName: String = "Acme Books Ltd"
    ) async throws -> (
        key: String, id: String
    ) {
        let created = try await harness.request(
            .post,
            keys,
            token: token,
            json: #"{"organization_name":"\#(organizationName)","name":"Zapier production"}"#
        )
        #expect(created.status == .created, "\(created.text)")
        let key = try #require(created.json["api_key"] as? String, "\(created.text)")
        let id = try #require(created.json["id"] as? String)
        return (key, id)
    }

    @Test func aZapierClientSubscribesReceivesIsUnsubscribedByA410AndPolls() async throws {
        try await WebhookHarness.run { harness in
            let receiver = WebhookReceiver()
            try await receiver.run { receiver in
                let organization = UUID()
                let token = try await harness.hub.token(organization: organization)
                let (key, keyID) = try await Self.createKey(harness, token: token)
                #expect(key.hasPrefix("hzk_") && key.count == 68)

                // The list shows the prefix and last four, never the key.
                let list = try await harness.request(.get, Self.keys, token: token)
                #expect(list.status == .ok)
                #expect(!list.text.contains(key) && !list.text.contains(String(key.dropFirst(4))), "the key is shown once")
                let listed = try #require(list.data.first)
                #expect(listed["id"] as? String == keyID)
                #expect(listed["last4"] as? String == String(key.suffix(4)))
                #expect(listed["prefix"] as? String == String(key.prefix(8)))
                #expect(listed["api_key"] == nil)

                // Zapier's authentication test, with either header Zapier can be set up to send.
                let me = try await Self.zapier(harness, .get, "/api/v1/integrations/zapier/me", key: key)
                #expect(me.status == .ok, "\(me.text)")
                #expect(me.json["organization_name"] as? String == "Acme Books Ltd")
                #expect(me.json["organization_id"] as? String == organization.uuidString.lowercased())
                let bearer = try await harness.request(.get, "/api/v1/integrations/zapier/me", token: key)
                #expect(bearer.status == .ok, "\(bearer.text)")
                // The key opens the Zapier routes only; a user token is no Zapier key.
                #expect(try await harness.request(.get, WebhookHarness.subscriptions, token: key).status == .unauthorized)
                #expect(try await harness.request(.get, "/api/v1/integrations/zapier/me", token: token).status == .unauthorized)
                let forged = "hzk_" + String(repeating: "0", count: 64)
                #expect(try await Self.zapier(harness, .get, "/api/v1/integrations/zapier/me", key: forged).status == .unauthorized)
                let used = try await harness.request(.get, Self.keys, token: token).data.first
                #expect(used?["last_used_at"] is String, "the list tells when the key was last used")

                // Subscribe as Zapier's performSubscribe does.
                let hookPath = "/hooks/catch/123/abc"
                let subscribe = try await Self.zapier(
                    harness,
                    .post,
                    "/api/v1/integrations/zapier/hooks",
                    key: key,
                    json: #"{"target_url":"\#(receiver.url(hookPath))","event":"invoice.paid"}"#
                )
                #expect(subscribe.status == .created, "\(subscribe.text)")
                let hookID = try #require(subscribe.json["id"] as? String)
                let secret = try #require(subscribe.json["secret"] as? String)
                // REST hooks are not listed among the organization's webhook subscriptions, nor
                // changed, rotated or deleted through their routes: the key that made one owns it.
                #expect(try await harness.request(.get, WebhookHarness.subscriptions, token: token).data.isEmpty)
                let ordinary = "\(WebhookHarness.subscriptions)/\(hookID)"
                #expect(try await harness.request(.get, ordinary, token: token).status == .notFound)
                #expect(try await harness.request(.patch, ordinary, token: token, json: #"{"enabled":false}"#).status == .notFound)
                #expect(try await harness.request(.post, "\(ordinary)/rotate-secret", token: token, json: "{}").status == .notFound)
                #expect(try await harness.request(.delete, ordinary, token: token).status == .notFound)

                // A hub event reaches the hook, signed; another type does not.
                try await harness.publish("invoice.created", data: ["invoice_id": "inv_0"], token: token)
                let first = try await harness.publish("invoice.paid", data: ["invoice_id": "inv_1", "amount": 120.5], token: token)
                #expect(first.status == .accepted, "\(first.text)")
                let delivered = try await receiver.wait { $0.count >= 1 }
                let message = try #require(delivered.first)
                #expect(message.path == hookPath)
                #expect(message.json["type"] as? String == "invoice.paid")
                #expect((message.json["data"] as? [String: Any])?["invoice_id"] as? String == "inv_1")
                #expect(message.json["id"] as? String == first.json["id"] as? String)
                #expect(try StandardWebhooksVerifier.verify([message], secrets: [secret]) == [[true]])

                // The Zap is turned off on Zapier's side: its hook URL answers 410 from now on.
                receiver.script(hookPath) { _ in WebhookReceiver.Reply(status: 410, body: "gone") }
                try await harness.publish("invoice.paid", data: ["invoice_id": "inv_2"], token: token)
                try await receiver.wait { $0.count >= 2 }
                let removed = try await Self.waitFor("the hook to be removed") {
                    try await Self.hookDeleted(harness, id: hookID) ? true : nil
                }
                #expect(removed)
                // No webhook_endpoint.disabled for a hook Zapier removed: nobody would act on it.
                let disabledEvents = try await harness.request(
                    .get,
                    "/api/v1/integrations/zapier/triggers/webhook_endpoint.disabled",
                    token: key
                )
                #expect(disabledEvents.text == "[]", "\(disabledEvents.text)")
                try await harness.publish("invoice.paid", data: ["invoice_id": "inv_3"], token: token)
                // Time for a delivery to show up, were one still made.
                try await Task.sleep(for: .seconds(1))
                #expect(receiver.received(path: hookPath).count == 2, "nothing is sent after the 410")

                // Polling: newest first, the same ids on every poll, the deliveries' shape.
                let poll = try await Self.zapier(harness, .get, "/api/v1/integrations/zapier/triggers/invoice.paid", key: key)
                #expect(poll.status == .ok, "\(poll.text)")
                let items = try #require(try JSONSerialization.jsonObject(with: poll.body) as? [[String: Any]], "a plain JSON array")
                #expect(items.compactMap { ($0["data"] as? [String: Any])?["invoice_id"] as? String } == ["inv_3", "inv_2", "inv_1"])
                #expect(items.last?["id"] as? String == message.json["id"] as? String, "a polled item and its delivery share the id")
                let again = try await Self.zapier(harness, .get, "/api/v1/integrations/zapier/triggers/invoice.paid?limit=2", key: key)
                let ids = (try JSONSerialization.jsonObject(with: again.body) as? [[String: Any]])?.compactMap { $0["id"] as? String }
                #expect(ids == items.prefix(2).compactMap { $0["id"] as? String }, "stable ids")
                let unknown = try await Self.zapier(harness, .get, "/api/v1/integrations/zapier/triggers/invoice.nope", key: key)
                #expect(unknown.status == .unprocessableContent)
                #expect((unknown.json["error"] as? [String: Any])?["code"] as? String == "unknown_event_type")

                // Revoking the key refuses it at once.
                let revoke = try await harness.request(.delete, "\(Self.keys)/\(keyID)", token: token)
                #expect(revoke.status == .noContent)
                // The key's life and its hook's are in the audit log, by their actors, with the
                // key's id and never its text nor the hook's secret.
                let audit = try await PostgresClientHandle(hub: harness.hub).audit(organization: organization)
                #expect(audit.map(\.action) == ["zapier_key.created", "zapier_hook.subscribed", "zapier_hook.removed", "zapier_key.revoked"])
                #expect(audit.map(\.resourceID) == [keyID, hookID, hookID, keyID])
                #expect(audit[1].actor == "zapier-key:\(keyID)" && audit[2].actor == "webhook-service", "\(audit.map(\.actor))")
                #expect(audit[1].details["target_url"]?.stringValue == receiver.url(hookPath))
                #expect(audit[1].details["event"]?.stringValue == "invoice.paid")
                #expect(audit[2].details["reason"]?.stringValue == "the endpoint answered 410 Gone")
                #expect(audit[3].details["hooks_removed"] == .number(0), "the 410 removed its only hook")
                let auditText = "\(audit.map(\.details))"
                #expect(!auditText.contains(String(key.dropFirst(8))) && !auditText.contains(secret), "a secret is in the audit log")
                #expect(try await Self.zapier(harness, .get, "/api/v1/integrations/zapier/me", key: key).status == .unauthorized)
                #expect(try await harness.request(.get, Self.keys, token: token).data.isEmpty)
                // Asked for, revoked keys are listed with the time they were revoked.
                let withRevoked = try await harness.request(.get, Self.keys + "?include_revoked=true", token: token)
                #expect(withRevoked.data.map { $0["id"] as? String } == [keyID])
                #expect(withRevoked.data.first?["revoked_at"] is String, "\(withRevoked.text)")
                #expect(try await harness.request(.get, Self.keys + "?include_revoked=yes", token: token).status == .unprocessableContent)
            }
        }
    }

    @Test func unsubscribingAndRevokingRemoveHooksAndBadInputIsA4xx() async throws {
        try await WebhookHarness.run { harness in
            let receiver = WebhookReceiver()
            try await receiver.run { receiver in
                let organization = UUID()
                let token = try await harness.hub.token(organization: organization)
                let (key, keyID) = try await Self.createKey(harness, token: token)
                func subscribe(_ json: String) async throws -> WebhookHarness.Reply {
                    try await Self.zapier(harness, .post, "/api/v1/integrations/zapier/hooks", key: key, json: json)
                }
                // Zapier's platform names the URL hookUrl; both spellings are taken.
                let hook = try await subscribe(#"{"hookUrl":"\#(receiver.url("/a"))","event_type":"customer.created"}"#)
                #expect(hook.status == .created, "\(hook.text)")
                let id = try #require(hook.json["id"] as? String)
                let delete = try await Self.zapier(harness, .delete, "/api/v1/integrations/zapier/hooks/\(id)", key: key)
                #expect(delete.status == .noContent)
                #expect(try await Self.zapier(harness, .delete, "/api/v1/integrations/zapier/hooks/\(id)", key: key).status == .notFound)
                #expect(try await Self.hookDeleted(harness, id: id))

                for (body, field) in [
                    (#"{"event":"invoice.paid"}"#, "target_url"),
                    (#"{"target_url":"\#(receiver.url("/b"))"}"#, "event"),
                    (#"{"target_url":"\#(receiver.url("/b"))","event":"invoice.*"}"#, "event"),
                ] {
                    let refused = try await subscribe(body)
                    #expect(refused.status == .unprocessableContent, "\(body): \(refused.text)")
                    let details = (refused.json["error"] as? [String: Any])?["details"] as? [String: Any]
                    #expect(details?["field"] as? String == field, "\(refused.text)")
                }
                let metadata = try await subscribe(#"{"target_url":"http://169.254.169.254/latest","event":"invoice.paid"}"#)
                #expect((400..<500).contains(metadata.status.code), "\(metadata.text)")
                let extra = try await subscribe(#"{"target_url":"\#(receiver.url("/b"))","event":"invoice.paid","x":1}"#)
                #expect((400..<500).contains(extra.status.code), "unknown fields are refused: \(extra.text)")

                // Another organization's key cannot remove this organization's hook.
                let kept = try #require(try await subscribe(#"{"target_url":"\#(receiver.url("/c"))","event":"invoice.paid"}"#).json["id"] as? String)
                let otherToken = try await harness.hub.token(organization: UUID())
                let (otherKey, _) = try await Self.createKey(harness, token: otherToken, organizationName: "Other")
                let foreign = try await Self.zapier(harness, .delete, "/api/v1/integrations/zapier/hooks/\(kept)", key: otherKey)
                #expect(foreign.status == .notFound)
                #expect(!(try await Self.hookDeleted(harness, id: kept)))
                // Revoking the key removes the hooks it made.
                #expect(try await harness.request(.delete, "\(Self.keys)/\(keyID)", token: token).status == .noContent)
                #expect(try await Self.hookDeleted(harness, id: kept))
                let audit = try await PostgresClientHandle(hub: harness.hub).audit(organization: organization)
                #expect(
                    audit.map(\.action)
                        == [
                            "zapier_key.created", "zapier_hook.subscribed", "zapier_hook.unsubscribed", "zapier_hook.subscribed",
                            "zapier_key.revoked",
                        ],
                    "refused subscriptions and a foreign unsubscribe leave no entry"
                )
                #expect(audit[2].resourceID == id && audit[2].actor == "zapier-key:\(keyID)")
                #expect(audit[4].details["hooks_removed"] == .number(1))
                #expect(try await harness.request(.delete, "\(Self.keys)/\(keyID)", token: token).status == .notFound)
                let noName = try await harness.request(.post, Self.keys, token: token, json: #"{"organization_name":"  "}"#)
                #expect(noName.status == .unprocessableContent, "\(noName.text)")
            }
        }
    }

    /// A key's hooks go in its revocation's transaction: when they cannot be removed the key
    /// stays live (to be revoked again), and migration 0031 removes the hooks the old two-step
    /// revocation could leave behind a revoked key.
    @Test func aKeyIsRevokedWithItsHooksOrNotAtAll() async throws {
        try await WebhookHarness.run { harness in
            let organization = UUID()
            let token = try await harness.hub.token(organization: organization)
            let keys = ZapierKeyStore(client: harness.hub.dependencies.postgres, logger: harness.hub.dependencies.logger)
            let actor = AuditActor(organizationID: organization, subject: "test", requestID: nil)
            func hook(_ key: String, _ path: String) async throws -> String {
                let json = #"{"target_url":"http://127.0.0.1:9/\#(path)","event":"invoice.paid"}"#
                let reply = try await Self.zapier(harness, .post, "/api/v1/integrations/zapier/hooks", key: key, json: json)
                return try #require(reply.json["id"] as? String, "\(reply.text)")
            }
            let (key, keyID) = try await Self.createKey(harness, token: token)
            let hookID = try await hook(key, "a")
            struct Refused: Error {}
            // postgres-nio wraps the closure's error in its PostgresTransactionError.
            await #expect(throws: PostgresTransactionError.self) {
                try await keys.revoke(by: actor, id: UUID(uuidString: keyID)!) { _ in throw Refused() }
            }
            #expect(try await Self.zapier(harness, .get, "/api/v1/integrations/zapier/me", key: key).status == .ok, "the key was revoked")
            #expect(!(try await Self.hookDeleted(harness, id: hookID)))
            #expect(try await PostgresClientHandle(hub: harness.hub).audit(organization: organization).last?.action == "zapier_hook.subscribed")

            // What the old revocation left: a revoked key whose hook lives on, beside a live key's.
            #expect(try await keys.revoke(by: actor, id: UUID(uuidString: keyID)!) { _ in 0 })
            let (liveKey, _) = try await Self.createKey(harness, token: token)
            let liveHookID = try await hook(liveKey, "b")
            let migration = try #require(try Migration.bundled().first { $0.version == 31 })
            for statement in SQLStatementSplitter.split(migration.sql) {
                try await harness.hub.dependencies.postgres.query(PostgresQuery(unsafeSQL: statement), logger: harness.hub.dependencies.logger)
            }
            #expect(try await Self.hookDeleted(harness, id: hookID))
            #expect(!(try await Self.hookDeleted(harness, id: liveHookID)))
        }
    }

    static func hookDeleted(_ harness: WebhookHarness, id: String) async throws -> Bool {
        let rows = try await harness.hub.dependencies.postgres.query(
            "SELECT deleted_at IS NOT NULL FROM webhook_subscriptions WHERE id = \(UUID(uuidString: id)!) AND zapier_key_id IS NOT NULL",
            logger: harness.hub.dependencies.logger
        )
        for try await deleted in rows.decode(Bool.self) { return deleted }
        return false
    }

    static func waitFor<T: Sendable>(_ what: String, timeout: Duration = .seconds(20), _ probe: @Sendable () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let value = try await probe() { return value }
            guard ContinuousClock.now < deadline else { throw WebhookHarness.HarnessError.unexpected("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
