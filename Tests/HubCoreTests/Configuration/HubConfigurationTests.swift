import HubCore
import XCTest

final class HubConfigurationTests: XCTestCase {
    let valid = [
        "DATABASE_URL": "postgres://hub:pw@127.0.0.1:5432/hub",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "HUB_JWT_HS256_SECRET": String(repeating: "s", count: 32),
        "HUB_INTERNAL_TOKEN": String(repeating: "t", count: 32),
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
