import HubRedis
import Testing

@Suite("Configuration")
struct RedisConfigurationTests {
    @Test func parsesHostPortPasswordAndDatabase() throws {
        let configuration = try RedisConfiguration(url: "redis://:p%40ss@cache.internal:6380/2")
        #expect(configuration.host == "cache.internal")
        #expect(configuration.port == 6380)
        #expect(configuration.username == nil)
        #expect(configuration.password == "p@ss")
        #expect(configuration.database == 2)
    }

    @Test func defaultsPortAndDatabase() throws {
        let configuration = try RedisConfiguration(url: "redis://localhost")
        #expect(configuration.host == "localhost")
        #expect(configuration.port == 6379)
        #expect(configuration.password == nil)
        #expect(configuration.database == 0)
    }

    @Test func parsesUsernamesAndIPv6Hosts() throws {
        let configuration = try RedisConfiguration(url: "redis://worker:secret@[::1]:7000/")
        #expect(configuration.username == "worker")
        #expect(configuration.password == "secret")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 7000)
        #expect(try RedisConfiguration(url: "redis://onlypassword@h").password == "onlypassword")
    }

    @Test(arguments: ["http://localhost", "rediss://localhost", "redis://", "redis://host:0", "redis://host:port", "redis://host/db"])
    func rejectsInvalidURLs(url: String) {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
    }

    @Test func descriptionMasksThePassword() throws {
        let configuration = try RedisConfiguration(url: "redis://:hunter2@localhost:6379/1")
        #expect(configuration.description == "redis://:***@localhost:6379/1")
        #expect(!"\(configuration)".contains("hunter2"))
    }
}
