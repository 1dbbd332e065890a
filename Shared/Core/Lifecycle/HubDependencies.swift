import AsyncHTTPClient
import HubRedis
import Logging
import PostgresNIO

/// The long-lived parts every service is built from, created once per process (or per test) and
/// handed to `buildApplication`. No globals but the HTTP clients (`HTTPClient.shared` and
/// `ServiceClient.peerHTTPClient`, process-wide by design): a test builds its own with throwaway
/// databases.
public struct HubDependencies: Sendable {
    public let configuration: HubConfiguration
    public let logger: Logger
    public let postgres: PostgresClient
    public let redis: RedisClient
    public let tokenVerifier: TokenVerifier
    public let httpClient: HTTPClient
    public let readiness: Readiness
    public let services: ServiceClient

    /// Creates clients from configuration. They do nothing until run as services of the
    /// application (`PostgresClient.run()`, `RedisClient.run()`).
    public static func make(configuration: HubConfiguration, logger: Logger) async throws -> HubDependencies {
        guard let databaseURL = DatabaseURL(string: configuration.databaseURL) else {
            throw ConfigurationError(problems: ["DATABASE_URL is not a postgres:// URL"])
        }
        let postgres = PostgresClient(
            configuration: databaseURL.clientConfiguration(
                maximumConnections: configuration.databasePoolSize,
                applicationName: configuration.service.rawValue,
                statementTimeoutSeconds: configuration.databaseStatementTimeoutSeconds
            ),
            backgroundLogger: logger
        )
        let redis = RedisClient(configuration: try RedisConfiguration(url: configuration.redisURL), logger: logger)
        let verifier = try await TokenVerifier(configuration: configuration.auth)
        let httpClient = HTTPClient.shared
        return HubDependencies(
            configuration: configuration,
            logger: logger,
            postgres: postgres,
            redis: redis,
            tokenVerifier: verifier,
            httpClient: httpClient,
            readiness: Readiness(postgres: postgres, redis: redis),
            services: ServiceClient(
                httpClient: ServiceClient.peerHTTPClient,
                baseURLs: configuration.serviceURLs,
                internalToken: configuration.auth.internalToken
            )
        )
    }
}
