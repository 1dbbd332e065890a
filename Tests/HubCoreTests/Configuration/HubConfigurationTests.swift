import Foundation
import HubCore
import XCTest

final class HubConfigurationTests: XCTestCase {
    let valid = [
        "DATABASE_URL": "postgres://hub:pw@127.0.0.1:5432/hub",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "HUB_JWT_HS256_SECRET": String(repeating: "s", count: 32),
        "HUB_INTERNAL_TOKEN": String(repeating: "t", count: 32),
        "HUB_VAULT_KEYS": "k1:" + Data(repeating: 7, count: 32).base64EncodedString(),
    ]

    func testValidEnvironmentLoadsWithLocalDefaults() throws {
        let configuration = try HubConfiguration.load(service: .oauth, environment: valid)
        XCTAssertEqual(configuration.port, 8083)
        XCTAssertEqual(configuration.host, "127.0.0.1")
        XCTAssertEqual(configuration.maxBodyBytes, 1 << 20)
        XCTAssertTrue(configuration.runMigrations)
        XCTAssertEqual(configuration.logFormat, .json)
        XCTAssertEqual(configuration.serviceURLs[.catalog], "http://127.0.0.1:8081")
    }

    func testMissingSecretsStopStartUpListingEveryProblem() {
        XCTAssertThrowsError(try HubConfiguration.load(service: .catalog, environment: [:])) { error in
            let problems = (error as? ConfigurationError)?.problems.joined(separator: "\n") ?? ""
            XCTAssertTrue(problems.contains("DATABASE_URL"), problems)
            XCTAssertTrue(problems.contains("REDIS_URL"), problems)
            XCTAssertTrue(problems.contains("HUB_JWT_HS256_SECRET"), problems)
            XCTAssertTrue(problems.contains("HUB_INTERNAL_TOKEN"), problems)
        }
    }

    func testMalformedValuesAreRejectedNotDefaulted() {
        var environment = valid
        environment["HUB_PORT"] = "eighty"
        environment["HUB_RUN_MIGRATIONS"] = "maybe"
        environment["HUB_JWT_HS256_SECRET"] = "short"
        environment["DATABASE_URL"] = "mysql://nope"
        XCTAssertThrowsError(try HubConfiguration.load(service: .catalog, environment: environment)) { error in
            let problems = (error as? ConfigurationError)?.problems ?? []
            XCTAssertEqual(problems.count, 4, "\(problems)")
        }
    }

    /// Outbound retention defaults to 30 days, takes a whole number of days from 1 to 3650, and
    /// stops start-up on anything else rather than pruning on a guess.
    func testWebhookRetentionDaysIsReadAndBounded() throws {
        XCTAssertEqual(try HubConfiguration.load(service: .webhook, environment: valid).webhooks.retentionDays, 30)
        var environment = valid
        environment["HUB_WEBHOOK_RETENTION_DAYS"] = "7"
        let loaded = try HubConfiguration.load(service: .webhook, environment: environment).webhooks
        XCTAssertEqual(loaded.retentionDays, 7)
        XCTAssertEqual(loaded.retention, .seconds(7 * 86_400))
        XCTAssertEqual(loaded.inboundRetention, .seconds(30 * 86_400))
        try assertRefused("HUB_WEBHOOK_RETENTION_DAYS", service: .webhook, values: ["0", "3651", "7d"])
    }

    /// Sync job history is kept 90 days unless told otherwise, within the same bounds.
    func testSyncJobRetentionDaysIsReadAndBounded() throws {
        XCTAssertEqual(try HubConfiguration.load(service: .syncWorker, environment: valid).sync.jobRetention, .seconds(90 * 86_400))
        var environment = valid
        environment["HUB_SYNC_JOB_RETENTION_DAYS"] = "14"
        XCTAssertEqual(try HubConfiguration.load(service: .syncWorker, environment: environment).sync.jobRetention, .seconds(14 * 86_400))
        try assertRefused("HUB_SYNC_JOB_RETENTION_DAYS", service: .syncWorker, values: ["0", "3651", "14d"])
    }

    /// Each of `values` for `name` stops start-up with one problem, which names it.
    private func assertRefused(_ name: String, service: HubServiceKind, values: [String], line: UInt = #line) throws {
        var environment = valid
        for refused in values {
            environment[name] = refused
            XCTAssertThrowsError(try HubConfiguration.load(service: service, environment: environment), line: line) { error in
                let problems = (error as? ConfigurationError)?.problems ?? []
                XCTAssertEqual(problems.count, 1, "\(refused): \(problems)", line: line)
                XCTAssertTrue(problems.first?.contains(name) == true, "\(refused): \(problems)", line: line)
            }
        }
    }

    /// PostgreSQL's own bound follows the longest deadline the hub gives a statement, 30 s beyond it.
    func testTheStatementTimeoutOutlastsEveryDeadline() throws {
        XCTAssertEqual(try HubConfiguration.load(service: .webhook, environment: valid).databaseStatementTimeoutSeconds, 150)
        var environment = valid
        environment["HUB_REQUEST_DEADLINE_SECONDS"] = "200"
        XCTAssertEqual(try HubConfiguration.load(service: .webhook, environment: environment).databaseStatementTimeoutSeconds, 230)
        environment["HUB_SYNC_STORE_DEADLINE_SECONDS"] = "600"
        XCTAssertEqual(try HubConfiguration.load(service: .syncWorker, environment: environment).databaseStatementTimeoutSeconds, 630)
        environment = valid
        environment["HUB_REQUEST_DEADLINE_SECONDS"] = "5"
        environment["HUB_WEBHOOK_STORE_DEADLINE_SECONDS"] = "2"
        environment["HUB_SYNC_STORE_DEADLINE_SECONDS"] = "10"
        XCTAssertEqual(try HubConfiguration.load(service: .webhook, environment: environment).databaseStatementTimeoutSeconds, 90)
        environment["HUB_DB_STATEMENT_TIMEOUT_SECONDS"] = "0"
        XCTAssertEqual(try HubConfiguration.load(service: .webhook, environment: environment).databaseStatementTimeoutSeconds, 0)
        environment["HUB_DB_STATEMENT_TIMEOUT_SECONDS"] = "-1"
        XCTAssertThrowsError(try HubConfiguration.load(service: .webhook, environment: environment))
    }

    func testRedactedDescriptionNeverShowsSecrets() throws {
        var environment = valid
        environment["REDIS_URL"] = "redis://:redispassword@127.0.0.1:6379/0"
        let configuration = try HubConfiguration.load(service: .catalog, environment: environment)
        let printed = configuration.redactedDescription.map { "\($0.name)=\($0.value)" }.joined(separator: "\n")
        XCTAssertFalse(printed.contains("pw@"))
        XCTAssertFalse(printed.contains("redispassword"))
        XCTAssertFalse(printed.contains(String(repeating: "s", count: 32)))
        XCTAssertFalse(printed.contains(String(repeating: "t", count: 32)))
        XCTAssertTrue(printed.contains("DATABASE_URL=postgres://hub:***@127.0.0.1:5432/hub"))
    }
}

final class VaultConfigurationTests: XCTestCase {
    let base = [
        "DATABASE_URL": "postgres://hub:pw@127.0.0.1:5432/hub",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "HUB_JWT_HS256_SECRET": String(repeating: "s", count: 32),
        "HUB_INTERNAL_TOKEN": String(repeating: "t", count: 32),
    ]

    func testServicesHoldingSecretsRefuseToStartWithoutAKeyRing() {
        for service in HubServiceKind.allCases where service.holdsSecrets {
            XCTAssertThrowsError(try HubConfiguration.load(service: service, environment: base)) { error in
                let problems = (error as? ConfigurationError)?.problems.joined(separator: "\n") ?? ""
                XCTAssertTrue(problems.contains("HUB_VAULT_KEYS is required"), problems)
            }
        }
        XCTAssertNoThrow(try HubConfiguration.load(service: .catalog, environment: base))
    }

    func testAMalformedKeyRingIsNamedNotReplacedByAnEphemeralKey() {
        var environment = base
        environment["HUB_VAULT_KEYS"] = "k1:" + Data(repeating: 1, count: 31).base64EncodedString()
        XCTAssertThrowsError(try HubConfiguration.load(service: .connection, environment: environment)) { error in
            let problems = (error as? ConfigurationError)?.problems.joined(separator: "\n") ?? ""
            XCTAssertTrue(problems.contains("31 bytes"), problems)
            XCTAssertFalse(problems.contains(environment["HUB_VAULT_KEYS"]!), "the key value must not be printed")
        }
    }

    func testTheUIOriginMustBeAnOrigin() throws {
        var environment = base
        environment["HUB_VAULT_KEYS"] = "k1:" + Data(repeating: 1, count: 32).base64EncodedString()
        for bad in ["https://ui.example.com/path", "javascript:alert(1)", "ui.example.com", "https://ui.example.com?x=1"] {
            environment["HUB_UI_ORIGIN"] = bad
            XCTAssertThrowsError(try HubConfiguration.load(service: .oauth, environment: environment), bad)
        }
        environment["HUB_UI_ORIGIN"] = "https://ui.example.com:8443/"
        XCTAssertEqual(try HubConfiguration.load(service: .oauth, environment: environment).uiOrigin, "https://ui.example.com:8443")
    }

    func testProviderSettingsAreReadPerProvider() throws {
        var environment = base
        environment["HUB_VAULT_KEYS"] = "k1:" + Data(repeating: 1, count: 32).base64EncodedString()
        environment["HUB_PROVIDER_SANDBOX_URL"] = "http://127.0.0.1:9999/"
        environment["HUB_PROVIDER_QUICKBOOKS_CLIENT_ID"] = "qb-id"
        environment["HUB_PROVIDER_QUICKBOOKS_CLIENT_SECRET"] = "qb-secret"
        environment["HUB_PROVIDER_PLAID_API_BASE_URL"] = "https://sandbox.plaid.com"
        environment["HUB_OAUTH_REDIRECT_BASE_URL"] = "https://hub.example.com/"
        let configuration = try HubConfiguration.load(service: .oauth, environment: environment)
        XCTAssertEqual(configuration.providers.sandboxURL, "http://127.0.0.1:9999")
        XCTAssertEqual(configuration.providers.clients["quickbooks"], .init(clientID: "qb-id", clientSecret: "qb-secret"))
        XCTAssertEqual(configuration.providers.apiBaseURLs["plaid"], "https://sandbox.plaid.com")
        XCTAssertEqual(
            configuration.providers.redirectURI(provider: "xero"),
            "https://hub.example.com/api/v1/integrations/oauth/xero/callback"
        )
        let printed = configuration.redactedDescription.map { "\($0.name)=\($0.value)" }.joined(separator: "\n")
        XCTAssertFalse(printed.contains("qb-secret"), printed)
        XCTAssertTrue(printed.contains("HUB_VAULT_ACTIVE_KEY=k1"), printed)

        environment["HUB_PROVIDER_XERO_CLIENT_ID"] = "only-the-id"
        XCTAssertThrowsError(try HubConfiguration.load(service: .oauth, environment: environment)) { error in
            let problems = (error as? ConfigurationError)?.problems.joined(separator: "\n") ?? ""
            XCTAssertTrue(problems.contains("HUB_PROVIDER_XERO_CLIENT_SECRET"), problems)
        }
    }
}
