// swift-tools-version: 6.1
// The Integration Hub: five services sharing one set of modules, persisting to PostgreSQL and
// coordinating through Redis. Layout: `Shared/` holds the libraries every service links,
// `Services/<name>/` holds each service as a library (testable) plus a tiny executable, `Tools/`
// holds operator and development tools, `Tests/` mirrors all of it.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

/// One service: a library with its routes and `buildApplication`, and an executable whose `main`
/// only reads configuration and runs what the library builds.
func service(_ directory: String, library: String, dependencies: [Target.Dependency]) -> [Target] {
    [
        .target(
            name: library,
            dependencies: ["HubCore", .product(name: "Metrics", package: "swift-metrics")] + dependencies,
            path: "Services/\(directory)/\(library)",
            resources: [.copy("openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: directory,
            dependencies: [.target(name: library), "HubCore"],
            path: "Services/\(directory)/Main",
            swiftSettings: swiftSettings
        ),
    ]
}

/// One test target, `Tests/<name>`: `dependencies` and the shared test helpers (`HubTestSupport`).
func tests(_ name: String, _ dependencies: [Target.Dependency], exclude: [String] = []) -> Target {
    .testTarget(
        name: name,
        dependencies: dependencies + ["HubTestSupport"],
        path: "Tests/\(name)",
        exclude: exclude,
        swiftSettings: swiftSettings
    )
}

/// The products most test targets link: a server in-process, and an HTTP client to call it.
let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
let asyncHTTPClient = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")

let package = Package(
    name: "integration-hub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "catalog-service", targets: ["catalog-service"]),
        .executable(name: "connection-service", targets: ["connection-service"]),
        .executable(name: "oauth-service", targets: ["oauth-service"]),
        .executable(name: "sync-worker", targets: ["sync-worker"]),
        .executable(name: "webhook-service", targets: ["webhook-service"]),
        .executable(name: "web-console", targets: ["web-console"]),
        .executable(name: "hubctl", targets: ["hubctl"]),
        .executable(name: "provider-sandbox", targets: ["provider-sandbox"]),
        .executable(name: "sync-benchmark", targets: ["sync-benchmark"]),
        .executable(name: "webhook-benchmark", targets: ["webhook-benchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        // X.509 parsing for PayPal's webhook certificates (already resolved through jwt-kit).
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.15.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // MARK: Shared modules

        .systemLibrary(
            name: "CHiredis",
            path: "Shared/CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .target(
            name: "HubRedis",
            dependencies: [
                "CHiredis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Redis",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HubCore",
            dependencies: [
                "HubRedis",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Its ConnectionPoolError: the pool's answer once PostgreSQL has been unreachable a while.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
            ],
            path: "Shared/Core",
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HubConnectors",
            dependencies: [
                "HubCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Shared/Connectors",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HubConnections",
            dependencies: [
                "HubCore", "HubConnectors", "HubRedis",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Shared/Connections",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HubSync",
            dependencies: [
                "HubCore", "HubConnectors", "HubConnections", "HubRedis",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/Sync",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HubWebhooks",
            dependencies: [
                "HubCore", "HubConnectors", "HubConnections", "HubSync", "HubRedis",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Webhooks",
            swiftSettings: swiftSettings
        ),

        // MARK: Services

        /// What every service's HTTP edge shares: domain errors mapped to the API's error
        /// envelope, and the domain models as response bodies.
        .target(
            name: "ServiceEdge",
            dependencies: [
                "HubCore", "HubConnectors", "HubConnections", "HubSync", "HubWebhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Services/Edge",
            swiftSettings: swiftSettings
        ),
    ] + service("catalog-service", library: "CatalogService", dependencies: ["HubConnectors"])
        + service(
            "connection-service",
            library: "ConnectionService",
            dependencies: ["HubConnectors", "HubConnections", "HubSync", "HubWebhooks", "ServiceEdge"]
        )
        + service("oauth-service", library: "OAuthService", dependencies: ["HubConnectors", "HubConnections", "ServiceEdge"])
        + service("sync-worker", library: "SyncWorker", dependencies: ["HubConnectors", "HubConnections", "HubSync"])
        + service(
            "webhook-service",
            library: "WebhookService",
            dependencies: ["HubConnectors", "HubConnections", "HubSync", "HubWebhooks", "ServiceEdge"]
        )
        + [
            /// The web console: server-rendered pages over the services' APIs (a backend-for-frontend),
            /// with its templates and static files as resources.
            .target(
                name: "WebConsole",
                dependencies: [
                    "HubCore", "HubRedis",
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "Mustache", package: "swift-mustache"),
                    .product(name: "HTTPTypes", package: "swift-http-types"),
                    .product(name: "AsyncHTTPClient", package: "async-http-client"),
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "NIOCore", package: "swift-nio"),
                ],
                path: "Services/web-console/WebConsole",
                resources: [.copy("openapi.json"), .copy("Templates"), .copy("Public")],
                swiftSettings: swiftSettings
            ),
            .executableTarget(
                name: "web-console",
                dependencies: ["WebConsole", "HubCore"],
                path: "Services/web-console/Main",
                swiftSettings: swiftSettings
            ),

            // MARK: Tools

            .executableTarget(
                name: "hubctl",
                dependencies: [
                    "HubCore", "HubConnections",
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                    .product(name: "Logging", package: "swift-log"),
                ],
                path: "Tools/hubctl",
                swiftSettings: swiftSettings
            ),

            .target(
                name: "ProviderSandbox",
                dependencies: [
                    "HubCore", "HubConnectors",
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "Crypto", package: "swift-crypto"),
                    .product(name: "_CryptoExtras", package: "swift-crypto"),
                    .product(name: "X509", package: "swift-certificates"),
                    .product(name: "JWTKit", package: "jwt-kit"),
                    .product(name: "AsyncHTTPClient", package: "async-http-client"),
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "NIOCore", package: "swift-nio"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                ],
                path: "Tools/provider-sandbox/ProviderSandbox",
                swiftSettings: swiftSettings
            ),
            .executableTarget(
                name: "provider-sandbox",
                dependencies: [
                    "ProviderSandbox",
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                ],
                path: "Tools/provider-sandbox/Main",
                swiftSettings: swiftSettings
            ),
            /// What both benchmark tools need around a run: a free port, a throwaway database, their error.
            .target(
                name: "BenchmarkSupport",
                dependencies: [
                    "HubCore",
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                ],
                path: "Tools/BenchmarkSupport",
                swiftSettings: swiftSettings
            ),
            .executableTarget(
                name: "sync-benchmark",
                dependencies: [
                    "BenchmarkSupport", "HubCore", "HubConnections", "HubConnectors", "HubSync", "ConnectionService",
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                    .product(name: "AsyncHTTPClient", package: "async-http-client"),
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                ],
                path: "Tools/sync-benchmark",
                swiftSettings: swiftSettings
            ),
            .executableTarget(
                name: "webhook-benchmark",
                dependencies: [
                    "BenchmarkSupport", "HubCore", "HubWebhooks", "WebhookService",
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                    .product(name: "Crypto", package: "swift-crypto"),
                    .product(name: "AsyncHTTPClient", package: "async-http-client"),
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "NIOHTTP1", package: "swift-nio"),
                    .product(name: "NIOPosix", package: "swift-nio"),
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                ],
                path: "Tools/webhook-benchmark",
                swiftSettings: swiftSettings
            ),

            // MARK: Tests

            .target(
                name: "HubTestSupport",
                dependencies: [
                    "HubCore", "HubRedis",
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                    .product(name: "HummingbirdTesting", package: "hummingbird"),
                ],
                path: "Tests/HubTestSupport",
                swiftSettings: swiftSettings
            ),
            tests("HubRedisTests", ["HubRedis"]),
            tests(
                "HubCoreTests",
                [
                    "HubCore", hummingbirdTesting, asyncHTTPClient,
                    .product(name: "NIOCore", package: "swift-nio"),
                    .product(name: "NIOEmbedded", package: "swift-nio"),
                    .product(name: "NIOPosix", package: "swift-nio"),
                    .product(name: "Crypto", package: "swift-crypto"),
                    .product(name: "JWTKit", package: "jwt-kit"),
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                    .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                    .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
                ]
            ),
            tests("HubConnectorsTests", ["HubConnectors", hummingbirdTesting, asyncHTTPClient]),
            tests("HubConnectionsTests", ["HubConnections", "ProviderSandbox", asyncHTTPClient]),
            tests("HubSyncTests", ["HubSync", "HubConnections", .product(name: "PostgresNIO", package: "postgres-nio")]),
            tests(
                "HubWebhooksTests",
                ["HubWebhooks", "HubSync", hummingbirdTesting, asyncHTTPClient, .product(name: "PostgresNIO", package: "postgres-nio")]
            ),
            tests(
                "WebConsoleTests",
                ["WebConsole", "HubCore", "HubRedis", hummingbirdTesting, .product(name: "HTTPTypes", package: "swift-http-types")]
            ),
            tests(
                "ProviderSandboxTests",
                ["ProviderSandbox", "HubConnectors", hummingbirdTesting, asyncHTTPClient],
                exclude: [
                    "Stripe/official_client.py", "Shopify/official_client.py", "Plaid/official_client.py", "QuickBooks/official_client.py",
                    "Xero/official_client.py",
                ]
            ),
            tests(
                "ServicesTests",
                [
                    "HubCore", "HubConnectors", "HubConnections", "HubSync", "ProviderSandbox",
                    "CatalogService", "ConnectionService", "OAuthService", "SyncWorker", "WebhookService", "HubWebhooks", "WebConsole",
                    hummingbirdTesting, asyncHTTPClient,
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                ]
            ),
        ]
)
