import ConnectionService
import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import XCTest

/// The audit log is the skeleton's organization-scoped resource: it shows that every read is
/// filtered by the token's organization, and how lists paginate.
final class AuditLogRoutesTests: XCTestCase {
    struct EntryPage: Decodable {
        var data: [AuditEntry]
        var next_cursor: String?
    }

    func makeApp() async throws -> (some ApplicationProtocol, TestHub, AuditLogRepository) {
        let hub = try await TestHub.make(service: .connection)
        let router = HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: try ConnectionService.openAPI()) {
            ConnectionService.addRoutes(to: $0, dependencies: hub.dependencies)
        }
        let app = Application(router: router, services: [hub.dependencies.postgres])
        return (app, hub, AuditLogRepository(client: hub.dependencies.postgres, logger: hub.dependencies.logger))
    }

    func testAnotherOrganizationsEntryAnswers404AndIsNeverListed() async throws {
        let (app, hub, repository) = try await makeApp()
        let mine = UUID()
        let theirs = UUID()
        let myToken = try await hub.token(organization: mine)
        try await app.test(.router) { client in
            try await Migrator(client: hub.dependencies.postgres, logger: hub.dependencies.logger).migrate(Migration.bundled())
            let ownID = try await repository.record(
                organization: mine,
                actor: "alice",
                action: "connection.created",
                resourceType: "connection",
                resourceID: "c1"
            )
            let foreignID = try await repository.record(
                organization: theirs,
                actor: "mallory",
                action: "connection.created",
                resourceType: "connection",
                resourceID: "c2"
            )
            let auth: HTTPFields = [.authorization: "Bearer \(myToken)"]
            let own = try await client.execute(uri: "/api/v1/integrations/audit-log/\(ownID)", method: .get, headers: auth)
            XCTAssertEqual(own.status, .ok)
            let foreign = try await client.execute(uri: "/api/v1/integrations/audit-log/\(foreignID)", method: .get, headers: auth)
            XCTAssertEqual(foreign.status, .notFound)
            XCTAssertTrue(String(buffer: foreign.body).contains(#""code":"not_found""#))
            let list = try await client.execute(uri: "/api/v1/integrations/audit-log", method: .get, headers: auth)
            let page = try JSONDecoder.hub.decode(EntryPage.self, from: Data(buffer: list.body))
            XCTAssertEqual(page.data.map(\.id), [ownID])
            XCTAssertEqual(page.data.first?.actor, "alice")
        }
    }

    func testPagesCoverEveryEntryOnceNewestFirst() async throws {
        let (app, hub, repository) = try await makeApp()
        let org = UUID()
        let token = try await hub.token(organization: org)
        try await app.test(.router) { client in
            try await Migrator(client: hub.dependencies.postgres, logger: hub.dependencies.logger).migrate(Migration.bundled())
            var written: [Int64] = []
            for index in 0..<7 {
                written.append(
                    try await repository.record(
                        organization: org,
                        actor: "alice",
                        action: "settings.changed",
                        resourceType: "connection",
                        resourceID: "\(index)"
                    )
                )
            }
            var seen: [Int64] = []
            var cursor: String?
            repeat {
                let uri = "/api/v1/integrations/audit-log?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"])
                XCTAssertEqual(response.status, .ok)
                let page = try JSONDecoder.hub.decode(EntryPage.self, from: Data(buffer: response.body))
                XCTAssertLessThanOrEqual(page.data.count, 3)
                seen += page.data.map(\.id)
                cursor = page.next_cursor
            } while cursor != nil
            XCTAssertEqual(seen, written.reversed())
            let bad = try await client.execute(
                uri: "/api/v1/integrations/audit-log?limit=0",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            XCTAssertEqual(bad.status, .unprocessableContent)
            // Not base64, then base64 of a key that is no entry id ("nope", "-5"): once read as the first page.
            for cursor in ["%%%", "bm9wZQ", "LTU"] {
                let badCursor = try await client.execute(
                    uri: "/api/v1/integrations/audit-log?cursor=\(cursor)",
                    method: .get,
                    headers: [.authorization: "Bearer \(token)"]
                )
                XCTAssertEqual(badCursor.status, .unprocessableContent, cursor)
            }
        }
    }

    func testAResourceFilterListsOnlyThatResourcesEntries() async throws {
        let (app, hub, repository) = try await makeApp()
        let org = UUID()
        let token = try await hub.token(organization: org)
        try await app.test(.router) { client in
            try await Migrator(client: hub.dependencies.postgres, logger: hub.dependencies.logger).migrate(Migration.bundled())
            var mine: [Int64] = []
            for index in 0..<30 {
                let id = try await repository.record(
                    organization: org,
                    actor: "alice",
                    action: "connection.tested",
                    resourceType: index.isMultiple(of: 10) ? "subscription" : "connection",
                    resourceID: index.isMultiple(of: 3) ? "c1" : "c2"
                )
                if index.isMultiple(of: 3) && !index.isMultiple(of: 10) { mine.append(id) }
            }
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            let filtered = try await client.execute(
                uri: "/api/v1/integrations/audit-log?resource_type=connection&resource_id=c1&limit=200",
                method: .get,
                headers: auth
            )
            XCTAssertEqual(filtered.status, .ok)
            let page = try JSONDecoder.hub.decode(EntryPage.self, from: Data(buffer: filtered.body))
            XCTAssertEqual(page.data.map(\.id), mine.reversed())

            let half = try await client.execute(uri: "/api/v1/integrations/audit-log?resource_id=c1", method: .get, headers: auth)
            XCTAssertEqual(half.status, .unprocessableContent)
            XCTAssertTrue(String(buffer: half.body).contains(#""field":"resource_type""#), String(buffer: half.body))
        }
    }
}
