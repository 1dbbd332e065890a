import ConnectionService
import Foundation
import HubConnections
import HubCore
import HubTestSupport
import Hummingbird
import PostgresNIO
import XCTest

/// API-key connections end to end: connect (tested against the Stripe sandbox), read, edit,
/// test, disconnect; validation, the one-per-provider rule under a race, tenant isolation.
final class ConnectionRoutesTests: XCTestCase {
    static let stripeKey = "sk_test_sandbox"

    func withService(_ body: @Sendable (ServiceHarness) async throws -> Void) async throws {
        try await ServiceHarness.run(
            service: .connection,
            addRoutes: ConnectionService.addRoutes(to:dependencies:),
            openAPI: try ConnectionService.openAPI(),
            body
        )
    }

    static func connectBody(key: String = stripeKey, name: String? = nil) -> String {
        let name = name.map { #","name":"\#($0)""# } ?? ""
        return #"{"provider":"stripe","credentials":{"api_key":"\#(key)"}\#(name)}"#
    }

    func testConnectingStripeTestsTheKeyAndNeverShowsIt() async throws {
        try await withService { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org, subject: "alice")
            let created = try await harness.request(.post, "/api/v1/integrations/connections", token: token, json: Self.connectBody())
            XCTAssertEqual(created.status, .created, created.text)
            XCTAssertFalse(created.text.contains(Self.stripeKey))
            let connection = try created.decode(Connection.self)
            XCTAssertEqual(connection.status, .connected, created.text)
            XCTAssertEqual(connection.credentialFields, ["api_key"])
            XCTAssertNotNil(connection.credentialsRotatedAt)
            XCTAssertEqual(connection.accountID?.hasPrefix("acct_"), true, created.text)
            XCTAssertEqual(connection.name, "Stripe")
            XCTAssertEqual(connection.lastTestOK, true)
            XCTAssertEqual(created.headers[.location], "/api/v1/integrations/connections/\(connection.id.uuidString.lowercased())")

            let history = try await harness.request(.get, "/api/v1/integrations/connections/\(connection.id)/history", token: token)
            let statuses = history.json["data"]?.arrayValue?.compactMap { $0["status"]?.stringValue }
            XCTAssertEqual(statuses, ["connected", "connecting"])

            let audit = try await harness.request(.get, "/api/v1/integrations/audit-log", token: token)
            XCTAssertTrue(audit.text.contains(#""action":"connection.created""#), audit.text)
            XCTAssertTrue(audit.text.contains(#""actor":"alice""#), audit.text)

            let dump = try await harness.postgres.dump(tables: ["connections", "connection_status_history", "audit_log"])
            XCTAssertFalse(dump.contains(Self.stripeKey), "the key is in a database column in clear")
        }
    }

    func testARefusedKeyIsStoredAsErrorWithTheProvidersReason() async throws {
        try await withService { harness in
            let token = try await harness.hub.token(organization: UUID())
            let created = try await harness.request(
                .post,
                "/api/v1/integrations/connections",
                token: token,
                json: Self.connectBody(key: "sk_test_NotARealKey0001")
            )
            XCTAssertEqual(created.status, .created, created.text)
            let connection = try created.decode(Connection.self)
            XCTAssertEqual(connection.status, .error)
            XCTAssertEqual(connection.statusReason?.hasPrefix("the provider refused the credentials"), true, created.text)
            XCTAssertEqual(connection.lastTestOK, false)
        }
    }

    func testBadInputGets422NamingTheProblem() async throws {
        try await withService { harness in
            let token = try await harness.hub.token(organization: UUID())
            let cases: [(String, String, String)] = [
                (#"{"provider":"nope"}"#, "validation_failed", "provider"),
                (#"{"provider":"stripe"}"#, "validation_failed", "credentials.api_key"),
                (#"{"provider":"stripe","credentials":{"api_key":"pk_live_wrong_kind"}}"#, "validation_failed", "credentials.api_key"),
                (#"{"provider":"stripe","credentials":{"api_key":"sk_test_x","colour":"red"}}"#, "validation_failed", "credentials.colour"),
                (#"{"provider":"stripe","credentials":{"api_key":"sk_test_x"},"extra":1}"#, "validation_failed", "extra"),
                (#"{"provider":"stripe","credentials":{"api_key":"sk_test_x"},"settings":[1]}"#, "validation_failed", "settings"),
                (#"{"provider":"xero"}"#, "oauth_required", "provider"),
                (#"{"provider":"plaid"}"#, "plaid_link_required", "provider"),
                (#"{"provider":"stripe","credentials":{"api_key":"sk_test_x"},"name":"a\u0000b"}"#, "validation_failed", "NUL"),
                (#"{"provider":"stripe","credentials":{"api_key":"sk_test_x"},"settings":{"k":"\u0000"}}"#, "validation_failed", "NUL"),
            ]
            for (body, code, field) in cases {
                let reply = try await harness.request(.post, "/api/v1/integrations/connections", token: token, json: body)
                XCTAssertEqual(reply.status, .unprocessableContent, body + " → " + reply.text)
                XCTAssertEqual(reply.json["error"]?["code"]?.stringValue, code, reply.text)
                XCTAssertTrue(reply.text.contains(field), "\(body) → \(reply.text) should name \(field)")
                XCTAssertFalse(reply.text.contains("sk_test_x"), "an entered value was echoed: \(reply.text)")
            }
            let listed = try await harness.request(.get, "/api/v1/integrations/connections", token: token)
            XCTAssertEqual(listed.json["data"]?.arrayValue?.count, 0, "a refused request stored something")
            let badStatus = try await harness.request(.get, "/api/v1/integrations/connections?status=happy", token: token)
            XCTAssertEqual(badStatus.status, .unprocessableContent)
            let nulProvider = try await harness.request(.get, "/api/v1/integrations/connections?provider=%00", token: token)
            XCTAssertEqual(nulProvider.status, .unprocessableContent, nulProvider.text)
        }
    }

    func testSimultaneousDuplicateConnectsGiveOne201AndOne409() async throws {
        try await withService { harness in
            let token = try await harness.hub.token(organization: UUID())
            for _ in 0..<3 {
                async let first = harness.request(.post, "/api/v1/integrations/connections", token: token, json: Self.connectBody())
                async let second = harness.request(.post, "/api/v1/integrations/connections", token: token, json: Self.connectBody())
                let statuses = try await [first.status, second.status].map(\.code).sorted()
                let list = try await harness.request(.get, "/api/v1/integrations/connections?status=connected", token: token)
                let live = list.json["data"]?.arrayValue ?? []
                XCTAssertEqual(live.count, 1, list.text)
                XCTAssertEqual(statuses, [201, 409])
                // Disconnect so the next round races again from nothing.
                let id = try XCTUnwrap(live.first?["id"]?.stringValue)
                let deleted = try await harness.request(.delete, "/api/v1/integrations/connections/\(id)", token: token)
                XCTAssertEqual(deleted.status, .ok, deleted.text)
            }
            let again = try await harness.request(.post, "/api/v1/integrations/connections", token: token, json: Self.connectBody())
            XCTAssertEqual(again.status, .created)
            let duplicate = try await harness.request(.post, "/api/v1/integrations/connections", token: token, json: Self.connectBody())
            XCTAssertEqual(duplicate.status, .conflict)
            XCTAssertEqual(duplicate.json["error"]?["code"]?.stringValue, "already_connected")
        }
    }

    func testEditTestAndDisconnect() async throws {
        try await withService { harness in
            let token = try await harness.hub.token(organization: UUID(), subject: "bob")
            let created = try await harness.request(.post, "/api/v1/integrations/connections", token: token, json: Self.connectBody())
            let id = try created.decode(Connection.self).id
            let path = "/api/v1/integrations/connections/\(id)"

            let renamed = try await harness.request(
                .patch,
                path,
                token: token,
                json: #"{"name":"Payments","settings":{"currency":"eur"},"sync_enabled":false}"#
            )
            XCTAssertEqual(renamed.status, .ok, renamed.text)
            let edited = try renamed.decode(Connection.self)
            XCTAssertEqual(edited.name, "Payments")
            XCTAssertEqual(edited.settings, ["currency": "eur"])
            XCTAssertFalse(edited.syncEnabled)
            // None of these can be cleared: a null is refused, not taken as "unchanged".
            for field in ["name", "settings", "credentials", "sync_enabled"] {
                let null = try await harness.request(.patch, path, token: token, json: #"{"\#(field)":null}"#)
                XCTAssertEqual(null.status, .unprocessableContent, "\(field): \(null.text)")
                XCTAssertTrue(null.text.contains("'\(field)' must not be null"), null.text)
            }

            // A key the provider refuses does not cost the connection the one that works: it is
            // checked before anything is stored, so the stored key never changes, even briefly.
            let versionQuery: PostgresQuery = "SELECT credential_version FROM connections WHERE id = \(id)"
            let version = { @Sendable () async throws -> Int64? in
                for try await value in try await harness.hub.dependencies.postgres.query(versionQuery, logger: harness.hub.dependencies.logger)
                    .decode(Int64.self)
                { return value }
                return nil
            }
            let stored = try await version()
            let badKey = try await harness.request(.patch, path, token: token, json: #"{"credentials":{"api_key":"sk_test_RevokedKey0002"}}"#)
            XCTAssertEqual(badKey.status, .unprocessableContent, badKey.text)
            XCTAssertEqual(badKey.json["error"]?["code"]?.stringValue, "credentials_refused", badKey.text)
            XCTAssertEqual(badKey.json["error"]?["message"]?.stringValue?.contains("keeps its previous ones"), true, badKey.text)
            let kept = try await harness.request(.get, path, token: token)
            XCTAssertEqual(try kept.decode(Connection.self).status, .connected, kept.text)
            let afterRefusal = try await version()
            XCTAssertEqual(afterRefusal, stored, "the refused key was never stored")
            // A provider that cannot answer judges nothing: nothing changes, and the caller may retry.
            let sandbox = SandboxAdmin(baseURL: harness.sandboxURL)
            _ = try await sandbox.send(.PUT, "/_admin/faults/stripe", json: #"{"server_error_share":1}"#)
            let unchecked = try await harness.request(.patch, path, token: token, json: #"{"credentials":{"api_key":"sk_test_sandbox"}}"#)
            _ = try await sandbox.send(.DELETE, "/_admin/faults/stripe")
            XCTAssertEqual(unchecked.status, .serviceUnavailable, unchecked.text)
            XCTAssertEqual(unchecked.json["error"]?["code"]?.stringValue, "credentials_unchecked", unchecked.text)
            let unchanged = try await harness.request(.get, path, token: token)
            XCTAssertEqual(try unchanged.decode(Connection.self).status, .connected, unchanged.text)
            let afterOutage = try await version()
            XCTAssertEqual(afterOutage, stored, "nothing was stored while the provider could not answer")
            let stillWorking = try await harness.request(.post, path + "/test", token: token)
            XCTAssertEqual(stillWorking.json["ok"], true, stillWorking.text)

            let goodKey = try await harness.request(.patch, path, token: token, json: #"{"credentials":{"api_key":"sk_test_sandbox"}}"#)
            XCTAssertEqual(try goodKey.decode(Connection.self).status, .connected, goodKey.text)
            let passedTest = try await harness.request(.post, path + "/test", token: token)
            XCTAssertEqual(passedTest.json["ok"], true, passedTest.text)
            XCTAssertNotNil(passedTest.json["latency_ms"]?.numberValue)

            let audit = try await harness.request(.get, "/api/v1/integrations/audit-log?limit=200", token: token)
            let actions = audit.json["data"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
            XCTAssertEqual(actions.filter { $0 == "connection.credentials_replaced" }.count, 1, audit.text)
            XCTAssertEqual(actions.filter { $0 == "connection.credentials_refused" }.count, 1, audit.text)
            XCTAssertTrue(actions.contains("connection.updated"))

            let deleted = try await harness.request(.delete, path, token: token)
            XCTAssertEqual(deleted.status, .ok, deleted.text)
            let gone = try deleted.decode(Connection.self)
            XCTAssertEqual(gone.status, .disconnected)
            XCTAssertEqual(gone.credentialFields, [])
            XCTAssertNotNil(gone.disconnectedAt)
            let dump = try await harness.postgres.dump(tables: ["connections"])
            XCTAssertTrue(dump.contains(#""credential_ciphertext":null"#), "credentials not wiped")
            let testAfter = try await harness.request(.post, path + "/test", token: token)
            XCTAssertEqual(testAfter.status, .conflict)
            let secondDelete = try await harness.request(.delete, path, token: token)
            XCTAssertEqual(secondDelete.status, .ok)
            let after = try await harness.request(.get, "/api/v1/integrations/audit-log?limit=200", token: token)
            let disconnects = after.json["data"]?.arrayValue?.filter { $0["action"]?.stringValue == "connection.disconnected" }
            XCTAssertEqual(disconnects?.count, 1, "disconnecting twice audited twice")
            // The hub's own events for this connection went out on the stream webhook-service reads.
            let types = try await Self.eventTypes(harness, connection: id)
            XCTAssertTrue(types.contains("connection.connected"), "no connection.connected event: \(types)")
            XCTAssertEqual(types.filter { $0 == "connection.disconnected" }.count, 1, "\(types)")
        }
    }

    func testSimultaneousDisconnectsRecordAndAnnounceOnce() async throws {
        try await withService { harness in
            let token = try await harness.hub.token(organization: UUID())
            let created = try await harness.request(.post, "/api/v1/integrations/connections", token: token, json: Self.connectBody())
            let id = try created.decode(Connection.self).id
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await harness.request(.delete, "/api/v1/integrations/connections/\(id)", token: token).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            XCTAssertEqual(statuses, [.ok, .ok, .ok, .ok])
            let audit = try await harness.request(.get, "/api/v1/integrations/audit-log?limit=200", token: token)
            let disconnects = audit.json["data"]?.arrayValue?.filter { $0["action"]?.stringValue == "connection.disconnected" }
            XCTAssertEqual(disconnects?.count, 1, audit.text)
            let types = try await Self.eventTypes(harness, connection: id)
            XCTAssertEqual(types.filter { $0 == "connection.disconnected" }.count, 1, "\(types)")
        }
    }

    func testDisconnectStopsSchedulesAndCancelsJobsButKeepsTheirHistory() async throws {
        try await withService { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let created = try await harness.request(.post, "/api/v1/integrations/connections", token: token, json: Self.connectBody())
            let id = try created.decode(Connection.self).id
            let db = harness.hub.dependencies.postgres
            let logger = harness.hub.dependencies.logger
            try await db.query(
                """
                INSERT INTO sync_configs (id, org_id, connection_id, entity, schedule, enabled, next_run_at)
                VALUES (\(UUID()), \(org), \(id), 'customers', 'hourly', true, now() + interval '1 hour')
                """,
                logger: logger
            )
            for (entity, status) in [("customers", "queued"), ("invoices", "running"), ("products", "completed")] {
                try await db.query(
                    """
                    INSERT INTO sync_jobs (id, org_id, connection_id, entity, direction, trigger, status)
                    VALUES (\(UUID()), \(org), \(id), \(entity), 'pull', 'manual', \(status))
                    """,
                    logger: logger
                )
            }
            let deleted = try await harness.request(.delete, "/api/v1/integrations/connections/\(id)", token: token)
            XCTAssertEqual(deleted.status, .ok, deleted.text)
            let configs = try await db.query(
                "SELECT enabled, next_run_at IS NULL FROM sync_configs WHERE connection_id = \(id)",
                logger: logger
            )
            var configRows = 0
            for try await (enabled, unscheduled) in configs.decode((Bool, Bool).self) {
                configRows += 1
                XCTAssertFalse(enabled)
                XCTAssertTrue(unscheduled)
            }
            XCTAssertEqual(configRows, 1, "the schedule row is gone instead of stopped")
            var jobs: [String: (String, Bool)] = [:]
            let rows = try await db.query(
                "SELECT entity, status, cancel_requested FROM sync_jobs WHERE connection_id = \(id)",
                logger: logger
            )
            for try await (entity, status, cancel) in rows.decode((String, String, Bool).self) { jobs[entity] = (status, cancel) }
            XCTAssertEqual(jobs["customers"]?.0, "cancelled")
            XCTAssertEqual(jobs["invoices"]?.0, "running", "a running job stops at its next page boundary")
            XCTAssertEqual(jobs["invoices"]?.1, true)
            XCTAssertEqual(jobs["products"]?.0, "completed", "history is kept as it was")
            XCTAssertEqual(jobs["products"]?.1, false)
        }
    }

    func testNothingRevivesADisconnectedConnectionAndStaleRefusalsDoNotLand() async throws {
        try await withService { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let created = try await harness.request(.post, "/api/v1/integrations/connections", token: token, json: Self.connectBody())
            let connection = try created.decode(Connection.self)
            let repository = ConnectionRepository(client: harness.hub.dependencies.postgres, logger: harness.hub.dependencies.logger)
            // A refusal computed against credentials that have since been replaced does not land.
            let stale = try await repository.setStatus(
                organization: org,
                id: connection.id,
                to: .reauthRequired,
                reason: "old refusal",
                actor: "t",
                expectedVersion: 0
            )
            XCTAssertNil(stale)
            let unchanged = try await repository.get(organization: org, id: connection.id)
            XCTAssertEqual(unchanged?.status, .connected)
            // A test or refresh finishing after the disconnect changes nothing.
            _ = try await harness.request(.delete, "/api/v1/integrations/connections/\(connection.id)", token: token)
            for status in [ConnectionStatus.connected, .error, .reauthRequired] {
                let revived = try await repository.setStatus(organization: org, id: connection.id, to: status, reason: nil, actor: "t")
                XCTAssertNil(revived, "\(status) revived a disconnected connection")
            }
            let stillDisconnected = try await repository.get(organization: org, id: connection.id)
            XCTAssertEqual(stillDisconnected?.status, .disconnected)
            // …so the organization can connect the provider again.
            let again = try await harness.request(.post, "/api/v1/integrations/connections", token: token, json: Self.connectBody())
            XCTAssertEqual(again.status, .created, again.text)
        }
    }

    /// The types of the hub events on `hub:events` that name this connection.
    static func eventTypes(_ harness: ServiceHarness, connection: UUID) async throws -> [String] {
        let reply = try await harness.hub.dependencies.redis.send("XRANGE", HubEventPublisher.stream, "-", "+")
        guard case .array(let entries) = reply else { return [] }
        var types: [String] = []
        for case .array(let entry) in entries {
            guard entry.count == 2, case .array(let pairs) = entry[1] else { continue }
            var fields: [String: String] = [:]
            for index in stride(from: 0, to: pairs.count - 1, by: 2) {
                if let name = pairs[index].string { fields[name] = pairs[index + 1].string }
            }
            if fields["data"]?.contains(connection.uuidString.lowercased()) == true, let type = fields["type"] { types.append(type) }
        }
        return types
    }

    func testAnotherOrganizationsConnectionAnswers404OnEveryRouteAndIsUnchanged() async throws {
        try await withService { harness in
            let mine = try await harness.hub.token(organization: UUID())
            let theirs = try await harness.hub.token(organization: UUID())
            let created = try await harness.request(.post, "/api/v1/integrations/connections", token: mine, json: Self.connectBody(name: "Mine"))
            let id = try created.decode(Connection.self).id
            let path = "/api/v1/integrations/connections/\(id)"
            let attempts: [(HTTPRequest.Method, String, String?)] = [
                (.get, path, nil), (.patch, path, #"{"name":"Stolen"}"#), (.post, path + "/test", nil),
                (.get, path + "/history", nil), (.delete, path, nil),
            ]
            for (method, uri, body) in attempts {
                let reply = try await harness.request(method, uri, token: theirs, json: body)
                XCTAssertEqual(reply.status, .notFound, "\(method) \(uri): \(reply.text)")
            }
            let list = try await harness.request(.get, "/api/v1/integrations/connections", token: theirs)
            XCTAssertEqual(list.json["data"]?.arrayValue?.count, 0)
            let still = try await harness.request(.get, path, token: mine)
            let connection = try still.decode(Connection.self)
            XCTAssertEqual(connection.name, "Mine")
            XCTAssertEqual(connection.status, .connected)
            let unknown = try await harness.request(.get, "/api/v1/integrations/connections/not-a-uuid", token: mine)
            XCTAssertEqual(unknown.status, .notFound)
        }
    }

    func testAnUnreadableCiphertextMarksTheConnectionErrorAndIsNeverUsed() async throws {
        try await withService { harness in
            let token = try await harness.hub.token(organization: UUID())
            let other = try await harness.hub.token(organization: UUID())
            let mine = try await harness.request(.post, "/api/v1/integrations/connections", token: token, json: Self.connectBody())
            let theirs = try await harness.request(.post, "/api/v1/integrations/connections", token: other, json: Self.connectBody())
            let myID = try mine.decode(Connection.self).id
            let theirID = try theirs.decode(Connection.self).id
            // Swap in another row's (valid) ciphertext: bound to its own row, it must not open here.
            try await harness.hub.dependencies.postgres.query(
                """
                UPDATE connections SET credential_ciphertext = (SELECT credential_ciphertext FROM connections WHERE id = \(theirID)),
                    credential_key_id = (SELECT credential_key_id FROM connections WHERE id = \(theirID))
                WHERE id = \(myID)
                """,
                logger: harness.hub.dependencies.logger
            )
            let test = try await harness.request(.post, "/api/v1/integrations/connections/\(myID)/test", token: token)
            XCTAssertEqual(test.json["ok"], false, test.text)
            XCTAssertEqual(test.json["code"]?.stringValue, "credentials_unreadable")
            let connection = try await harness.request(.get, "/api/v1/integrations/connections/\(myID)", token: token)
            XCTAssertEqual(try connection.decode(Connection.self).status, .error)
            XCTAssertEqual(connection.json["status_reason"]?.stringValue, "credentials unreadable")
        }
    }

    func testListsFilterAndPaginate() async throws {
        try await withService { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            _ = try await harness.request(.post, "/api/v1/integrations/connections", token: token, json: Self.connectBody())
            // More rows for paging: written directly (one live connection per provider allowed).
            let repository = ConnectionRepository(client: harness.hub.dependencies.postgres, logger: harness.hub.dependencies.logger)
            for provider in ["zapier", "paypal", "slack", "xero"] {
                _ = try await repository.insert(
                    .init(organizationID: org, provider: provider, name: provider, status: .error, actor: "test")
                )
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let uri = "/api/v1/integrations/connections?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await harness.request(.get, uri, token: token)
                XCTAssertEqual(page.status, .ok, page.text)
                seen += page.json["data"]?.arrayValue?.compactMap { $0["provider"]?.stringValue } ?? []
                cursor = page.json["next_cursor"]?.stringValue
            } while cursor != nil
            XCTAssertEqual(seen.count, 5)
            XCTAssertEqual(Set(seen).count, 5)
            XCTAssertEqual(seen.first, "xero", "newest first")
            let errors = try await harness.request(.get, "/api/v1/integrations/connections?status=error", token: token)
            XCTAssertEqual(errors.json["data"]?.arrayValue?.count, 4)
            let stripe = try await harness.request(.get, "/api/v1/integrations/connections?provider=stripe", token: token)
            XCTAssertEqual(stripe.json["data"]?.arrayValue?.compactMap { $0["provider"]?.stringValue }, ["stripe"])

            // Disconnected connections are kept for their history; a listing can leave them out.
            _ = try await repository.insert(.init(organizationID: org, provider: "hubspot", name: "old", status: .disconnected, actor: "test"))
            let all = try await harness.request(.get, "/api/v1/integrations/connections", token: token)
            XCTAssertEqual(all.json["data"]?.arrayValue?.count, 6)
            let live = try await harness.request(.get, "/api/v1/integrations/connections?include_disconnected=false", token: token)
            XCTAssertEqual(live.json["data"]?.arrayValue?.compactMap { $0["status"]?.stringValue }.contains("disconnected"), false, live.text)
            XCTAssertEqual(live.json["data"]?.arrayValue?.count, 5, live.text)
            let refused = try await harness.request(.get, "/api/v1/integrations/connections?include_disconnected=maybe", token: token)
            XCTAssertEqual(refused.status, .unprocessableContent, refused.text)
        }
    }
}
