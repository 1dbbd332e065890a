import Foundation
import HubCore
import HubWebhooks
import Synchronization
import XCTest

/// A resolver that answers from a script, one answer per call, as a DNS-rebinding attacker's
/// server does (a public address for the check, a private one for the next lookup).
final class ScriptedResolver: HostResolver {
    private let answers: Mutex<[[String]]>

    init(_ answers: [[String]]) {
        self.answers = Mutex(answers)
    }

    func resolve(host: String) async throws -> [[UInt8]] {
        let next = answers.withLock { answers -> [String] in
            answers.count > 1 ? answers.removeFirst() : (answers.first ?? [])
        }
        return next.compactMap(IPAddressRange.parse)
    }
}

final class URLGuardTests: XCTestCase {
    func guardWith(_ answers: [[String]], allowHTTP: Bool = false, allowed: [String] = []) -> URLGuard {
        URLGuard(
            allowHTTP: allowHTTP,
            policy: TargetAddressPolicy(allowed: allowed.compactMap(IPAddressRange.init)),
            resolver: ScriptedResolver(answers)
        )
    }

    func refusal(_ guardian: URLGuard, _ url: String) async -> URLRefusal? {
        do {
            _ = try await guardian.check(url)
            return nil
        } catch {
            return error
        }
    }

    func testOnlyHTTPSUnlessTheOperatorAllowsHTTP() async throws {
        let strict = guardWith([["93.184.216.34"]])
        let refusal = await refusal(strict, "http://hooks.example.com/in")
        XCTAssertEqual(refusal, .scheme(allowHTTP: false))
        let target = try await strict.check("https://hooks.example.com/in")
        XCTAssertEqual(target.address, "93.184.216.34")
        let relaxed = guardWith([["93.184.216.34"]], allowHTTP: true)
        _ = try await relaxed.check("http://hooks.example.com/in")
        let ftp = await self.refusal(relaxed, "ftp://hooks.example.com/in")
        XCTAssertEqual(ftp, .scheme(allowHTTP: true))
    }

    func testCredentialsAndGarbageAreRefused() async {
        let guardian = guardWith([["93.184.216.34"]])
        let withUser = await refusal(guardian, "https://user:pw@hooks.example.com/")
        XCTAssertEqual(withUser, .credentials)
        let garbage = await refusal(guardian, "not a url")
        XCTAssertEqual(garbage, .malformed)
    }

    func testPrivateTargetsAreRefusedUnlessAllowListed() async throws {
        for address in ["127.0.0.1", "10.0.0.7", "169.254.169.254", "::1", "fe80::1"] {
            let refusal = await refusal(guardWith([[address]]), "https://internal.example.com/")
            XCTAssertEqual(refusal, .forbiddenAddress("internal.example.com"), address)
        }
        let literal = await refusal(guardWith([["169.254.169.254"]]), "https://169.254.169.254/latest/meta-data")
        XCTAssertEqual(literal, .forbiddenAddress("169.254.169.254"))
        let allowed = try await guardWith([["127.0.0.1"]], allowed: ["127.0.0.1"]).check("https://localhost:8443/")
        XCTAssertEqual(allowed.address, "127.0.0.1")
    }

    /// The check answers the address the attempt must connect to; a second lookup that now points
    /// inside (rebinding) is refused, so the attempt never reaches it.
    func testARebindingAnswerIsRefusedAtTheNextCheck() async throws {
        let guardian = guardWith([["93.184.216.34"], ["127.0.0.1"]])
        let first = try await guardian.check("https://rebind.example.com/hook")
        XCTAssertEqual(first.address, "93.184.216.34")
        let second = await refusal(guardian, "https://rebind.example.com/hook")
        XCTAssertEqual(second, .forbiddenAddress("rebind.example.com"))
    }

    func testAMixedAnswerConnectsOnlyToThePermittedAddress() async throws {
        let target = try await guardWith([["10.0.0.1", "93.184.216.34"]]).check("https://mixed.example.com/")
        XCTAssertEqual(target.address, "93.184.216.34")
    }

    func testTheAllowListMustBeAddresses() {
        var configuration = WebhookConfiguration()
        configuration.allowedTargets = ["internal.example.com"]
        XCTAssertThrowsError(try URLGuard(configuration: configuration))
    }
}
