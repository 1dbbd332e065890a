import ConnectionService
import Foundation
import HubConnections
import HubCore
import HubSync
import HubTestSupport
import Hummingbird
import XCTest

/// Sync configurations and triggers: entity and direction validation against the connector's
/// definition, one active job per pair (a second trigger returns it, even when racing), cancel,
/// history, tenant isolation.
final class SyncRoutesTests: XCTestCase {
    func withConnectedStripe(_ body: @Sendable (ServiceHarness, String, String) async throws -> Void) async throws {
        try await ServiceHarness.withConnectedStripe(body)
    }

    func testConfigurationsAreValidatedAgainstTheProvidersEntities() async throws {
        try await withConnectedStripe { harness, token, path in
            let put = try await harness.request(
                .put,
                path + "/sync-configs/customers",
                token: token,
                json: #"{"direction":"bidirectional","schedule":"interval","interval_seconds":900,"conflict_policy":"remote_wins"}"#
            )
            XCTAssertEqual(put.status, .ok, put.text)
            let config = try put.decode(SyncConfig.self)
            XCTAssertEqual(config.direction, .bidirectional)
            XCTAssertEqual(config.conflictPolicy, .remoteWins)
            XCTAssertNotNil(config.nextRunAt)
            let again = try await harness.request(.put, path + "/sync-configs/customers", token: token, json: #"{"schedule":"manual"}"#)
            XCTAssertEqual(try again.decode(SyncConfig.self).id, config.id, "a PUT replaces, it does not add")
            XCTAssertNil(try again.decode(SyncConfig.self).nextRunAt)
            // Each change is in the connection's audit log, by whom and saying what the entity now does.
            let connectionID = try XCTUnwrap(UUID(uuidString: String(path.split(separator: "/").last ?? "")))
            let audited = try await harness.hub.dependencies.postgres.query(
                """
                SELECT actor, details->>'entity', details->>'schedule' FROM audit_log
                WHERE resource_type = 'connection' AND resource_id = \(connectionID.uuidString.lowercased()) AND action = 'sync_config.updated'
                ORDER BY id
                """,
                logger: harness.hub.dependencies.logger
            )
            var entries: [String] = []
            for try await (actor, entity, schedule) in audited.decode((String, String, String).self) {
                entries.append("\(actor) \(entity) \(schedule)")
            }
            XCTAssertEqual(entries, ["user-1 customers interval", "user-1 customers manual"])

            let cases: [(String, String, String)] = [
                ("/sync-configs/projects", "{}", "it supports: "),
                // A long unknown name is quoted cut, not whole.
                ("/sync-configs/" + String(repeating: "x", count: 3_000), "{}", "has no '\(String(repeating: "x", count: 64))…'"),
                ("/sync-configs/balance_transactions", #"{"direction":"push"}"#, "read-only"),
                ("/sync-configs/customers", #"{"schedule":"interval"}"#, "interval_seconds"),
                ("/sync-configs/customers", #"{"schedule":"daily","interval_seconds":60}"#, "interval_seconds"),
                ("/sync-configs/customers", #"{"direction":"sideways"}"#, "'direction' must be one of pull, push, bidirectional"),
                ("/sync-configs/customers", #"{"schedule":"weekly"}"#, "'schedule' must be one of manual, hourly, daily, realtime, interval"),
                ("/sync-configs/customers", #"{"filters":[1]}"#, "filters"),
                // Stored and never applied, a filter would narrow nothing: refused, not kept.
                ("/sync-configs/customers", #"{"filters":{"status":"paid"}}"#, "filters_unsupported"),
                ("/sync-configs/customers", #"{"field_mapping":{}}"#, "field_mapping"),
                ("/sync-configs/customers", #"{"field_mappings":[]}"#, "field_mappings"),
                (
                    "/sync-configs/customers", #"{"field_mappings":{"rules":[{"target":"name","source":"name"},{"target":"nope","source":"x"}]}}"#,
                    "field_mappings.rules[1].target"
                ),
                ("/sync-configs/customers", #"{"field_mappings":{"rules":[{"target":"name","source":"a..b"}]}}"#, "field_mappings.rules[0].source"),
                (
                    "/sync-configs/customers", #"{"field_mappings":{"rules":[{"target":"name","source":"name","transforms":[{"type":"shout"}]}]}}"#,
                    "field_mappings.rules[0].transforms[0]"
                ),
                (
                    "/sync-configs/customers",
                    #"{"field_mappings":{"rules":[{"target":"name","source":"name","transforms":[{"type":"minor_to_decimal","exponent":"2"}]}]}}"#,
                    "field_mappings.rules[0].transforms[0].exponent"
                ),
                // The caller's own rule numbers, and the connector's defaults named as such.
                (
                    "/sync-configs/customers", #"{"field_mappings":{"rules":[{"target":"metadata.k0","source":"a"}]}}"#,
                    "field_mappings.rules[0].target: 'metadata.k0' is already mapped by the connector's default rule for 'metadata'"
                ),
                ("/sync-configs/customers", #"{"field_mappings":{"foo":1}}"#, "'field_mappings.rules' is required"),
                (
                    "/sync-configs/customers", #"{"field_mappings":{"rules":[{"target":"name","source":"name","direction":"sideways"}]}}"#,
                    "'field_mappings.rules[0].direction' must be one of both, pull, push"
                ),
                (
                    "/sync-configs/customers",
                    #"{"field_mappings":{"rules":["# + (0...500).map { #"{"target":"metadata.k\#($0)","source":"a"}"# }.joined(separator: ",")
                        + "]}}",
                    "field_mappings.rules: a mapping holds at most 500 rules"
                ),
            ]
            for (suffix, body, expected) in cases {
                let reply = try await harness.request(.put, path + suffix, token: token, json: body)
                XCTAssertEqual(reply.status, .unprocessableContent, "\(suffix) \(body): \(reply.text)")
                XCTAssertTrue(reply.text.contains(expected), "\(suffix) \(body): \(reply.text)")
            }
            let list = try await harness.request(.get, path + "/sync-configs", token: token)
            XCTAssertEqual(list.json["data"]?.arrayValue?.count, 1)
            // A valid override is stored as given.
            let mapped = try await harness.request(
                .put,
                path + "/sync-configs/customers",
                token: token,
                json: #"{"field_mappings":{"rules":[{"target":"name","source":"name","transforms":[{"type":"upper"}]}]}}"#
            )
            XCTAssertEqual(mapped.status, .ok, mapped.text)
            XCTAssertEqual(mapped.json["field_mappings"]?["rules"]?.arrayValue?.count, 1, mapped.text)
            let noFilters = try await harness.request(.put, path + "/sync-configs/customers", token: token, json: #"{"filters":{}}"#)
            XCTAssertEqual(noFilters.status, .ok, noFilters.text)
        }
    }

    func testASecondTriggerReturnsTheActiveJobEvenWhenRacing() async throws {
        try await withConnectedStripe { harness, token, path in
            let triggers = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let reply = try await harness.request(.post, path + "/sync", token: token, json: #"{"entity":"customers"}"#)
                        XCTAssertEqual(reply.status, .accepted, reply.text)
                        return reply.json["data"]?.arrayValue?.first?["id"]?.stringValue ?? ""
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            XCTAssertEqual(Set(triggers).count, 1, "racing triggers created several jobs: \(Set(triggers))")
            let other = try await harness.request(.post, path + "/sync", token: token, json: #"{"entity":"invoices"}"#)
            let otherID = try XCTUnwrap(other.json["data"]?.arrayValue?.first?["id"]?.stringValue)
            XCTAssertNotEqual(otherID, triggers[0], "another entity's trigger got the customers job")
            // A named request the active job does not do is refused with that job, not answered
            // with it as if it were the one asked for.
            for body in [#"{"entity":"customers","direction":"push"}"#, #"{"entity":"customers","full_resync":true}"#] {
                let refused = try await harness.request(.post, path + "/sync", token: token, json: body)
                XCTAssertEqual(refused.status, .conflict, "\(body): \(refused.text)")
                XCTAssertEqual(refused.json["error"]?["code"]?.stringValue, "sync_in_progress", refused.text)
                XCTAssertEqual(refused.json["error"]?["details"]?["job_id"]?.stringValue, triggers[0], refused.text)
            }

            let jobID = triggers[0]
            let cancelled = try await harness.request(.post, "/api/v1/integrations/sync/jobs/\(jobID)/cancel", token: token)
            XCTAssertEqual(cancelled.json["status"]?.stringValue, "cancelled", cancelled.text)
            let next = try await harness.request(.post, path + "/sync", token: token, json: #"{"entity":"customers","full_resync":true}"#)
            let nextJob = try XCTUnwrap(next.json["data"]?.arrayValue?.first)
            XCTAssertNotEqual(nextJob["id"]?.stringValue, jobID, "a cancelled job is not active any more")
            XCTAssertEqual(nextJob["full_resync"], true)
            XCTAssertEqual(nextJob["started_by"]?.stringValue, "user-1", "the job records who started it")

            let history = try await harness.request(.get, path + "/sync/jobs?limit=2", token: token)
            XCTAssertEqual(history.json["data"]?.arrayValue?.first?["id"], nextJob["id"], "newest first")
            XCTAssertNotNil(history.json["next_cursor"]?.stringValue)

            let stream = try await harness.hub.dependencies.redis.send("XREVRANGE", "hub:sync:jobs", "+", "-", "COUNT", "100")
            XCTAssertTrue("\(stream)".contains(jobID.lowercased()), "the job was not sent to the workers' stream")

            let bad = try await harness.request(.post, path + "/sync", token: token, json: #"{"entity":"nope"}"#)
            XCTAssertEqual(bad.status, .unprocessableContent)
            let nothing = try await harness.request(.post, path + "/sync", token: token, json: "{}")
            XCTAssertEqual(nothing.status, .unprocessableContent, "no enabled configuration: nothing to sync")
        }
    }

    /// A job's problems beyond its 20 samples are listed in full, in the order recorded, a page
    /// at a time and by kind; bad filters and cursors are 422s.
    func testEveryProblemOfAJobIsListedPageByPage() async throws {
        try await withConnectedStripe { harness, token, path in
            let job = try await harness.request(.post, path + "/sync", token: token, json: #"{"entity":"customers"}"#)
            let jobID = try XCTUnwrap(job.json["data"]?.arrayValue?.first?["id"]?.stringValue)
            // 45 problems: every third a conflict.
            try await harness.hub.dependencies.postgres.query(
                """
                INSERT INTO sync_job_errors (job_id, org_id, kind, external_id, message)
                SELECT j.id, j.org_id, CASE WHEN n % 3 = 0 THEN 'conflict' ELSE 'error' END, 'cus_' || n, 'problem ' || n
                FROM sync_jobs j, generate_series(1, 45) n WHERE j.id = \(UUID(uuidString: jobID)!) ORDER BY n
                """,
                logger: harness.hub.dependencies.logger
            )
            let problems = "/api/v1/integrations/sync/jobs/\(jobID)/problems"
            var messages: [String] = []
            var ids: [Int] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await harness.request(.get, problems + "?limit=20" + (cursor.map { "&cursor=" + $0 } ?? ""), token: token)
                XCTAssertEqual(page.status, .ok, page.text)
                let rows = page.json["data"]?.arrayValue ?? []
                messages += rows.compactMap { $0["message"]?.stringValue }
                ids += rows.compactMap { $0["id"]?.intValue }
                cursor = page.json["next_cursor"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 5
            XCTAssertEqual(pages, 3)
            XCTAssertEqual(messages, (1...45).map { "problem \($0)" }, "every problem once, in the order recorded")
            XCTAssertEqual(ids, ids.sorted())

            let conflicts = try await harness.request(.get, problems + "?kind=conflict&limit=200", token: token)
            let rows = conflicts.json["data"]?.arrayValue ?? []
            XCTAssertEqual(rows.compactMap { $0["external_id"]?.stringValue }, stride(from: 3, through: 45, by: 3).map { "cus_\($0)" })
            XCTAssertEqual(Set(rows.compactMap { $0["kind"]?.stringValue }), ["conflict"])
            XCTAssertEqual(conflicts.json["next_cursor"], .null)

            for (query, field) in [
                ("kind=warning", "kind"), ("kind=", "kind"), ("cursor=bm9wZQ", "cursor"), ("cursor=LTU", "cursor"), ("limit=0", "limit"),
            ] {
                let refused = try await harness.request(.get, problems + "?" + query, token: token)
                XCTAssertEqual(refused.status, .unprocessableContent, "\(query): \(refused.text)")
                XCTAssertEqual(refused.json["error"]?["details"]?["field"]?.stringValue, field, "\(query): \(refused.text)")
            }
            let unknown = try await harness.request(.get, "/api/v1/integrations/sync/jobs/\(UUID())/problems", token: token)
            XCTAssertEqual(unknown.status, .notFound, unknown.text)
        }
    }

    func testAnotherOrganizationSeesNoneOfIt() async throws {
        try await withConnectedStripe { harness, token, path in
            let job = try await harness.request(.post, path + "/sync", token: token, json: #"{"entity":"customers"}"#)
            let jobID = try XCTUnwrap(job.json["data"]?.arrayValue?.first?["id"]?.stringValue)
            let stranger = try await harness.hub.token(organization: UUID())
            let attempts: [(HTTPRequest.Method, String, String?)] = [
                (.get, path + "/sync-configs", nil), (.put, path + "/sync-configs/customers", "{}"), (.post, path + "/sync", "{}"),
                (.get, path + "/sync/jobs", nil), (.get, "/api/v1/integrations/sync/jobs/\(jobID)", nil),
                (.post, "/api/v1/integrations/sync/jobs/\(jobID)/cancel", nil),
                (.get, "/api/v1/integrations/sync/jobs/\(jobID)/problems", nil),
            ]
            for (method, uri, body) in attempts {
                let reply = try await harness.request(method, uri, token: stranger, json: body)
                XCTAssertEqual(reply.status, .notFound, "\(method) \(uri): \(reply.text)")
            }
            let still = try await harness.request(.get, "/api/v1/integrations/sync/jobs/\(jobID)", token: token)
            XCTAssertEqual(still.json["status"]?.stringValue, "queued")
        }
    }
}
