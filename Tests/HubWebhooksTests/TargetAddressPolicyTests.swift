import HubWebhooks
import XCTest

final class TargetAddressPolicyTests: XCTestCase {
    func bytes(_ text: String) throws -> [UInt8] { try XCTUnwrap(IPAddressRange.parse(text), text) }

    func testPrivateLoopbackLinkLocalAndMetadataAddressesAreRefused() throws {
        let policy = TargetAddressPolicy(allowed: [])
        for address in [
            "127.0.0.1", "127.1.2.3", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "169.254.0.1",
            "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254",
            "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "ff02::1",
            // 6to4 of the metadata address and of a private one; Teredo; local-use NAT64.
            "2002:a9fe:a9fe::", "2002:a9fe:a9fe:1::5", "2002:0a00:0001::", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "64:ff9b:1::a9fe:a9fe",
        ] {
            XCTAssertFalse(policy.permits(try bytes(address)), "\(address) must be refused")
        }
    }

    func testPublicAddressesArePermitted() throws {
        let policy = TargetAddressPolicy(allowed: [])
        for address in ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "::ffff:93.184.216.34", "2002:5db8:d822::1"] {
            XCTAssertTrue(policy.permits(try bytes(address)), "\(address) must be allowed")
        }
    }

    func testTheAllowListOpensOnlyWhatItNames() throws {
        let policy = TargetAddressPolicy(allowed: [try XCTUnwrap(IPAddressRange("127.0.0.1")), try XCTUnwrap(IPAddressRange("10.9.0.0/16"))])
        XCTAssertTrue(policy.permits(try bytes("127.0.0.1")))
        XCTAssertTrue(policy.permits(try bytes("10.9.8.7")))
        XCTAssertFalse(policy.permits(try bytes("127.0.0.2")))
        XCTAssertFalse(policy.permits(try bytes("10.8.0.1")))
        XCTAssertFalse(policy.permits(try bytes("169.254.169.254")))
    }

    func testRangesParse() {
        XCTAssertNil(IPAddressRange("10.0.0.0/33"))
        XCTAssertNil(IPAddressRange("example.com"))
        XCTAssertEqual(IPAddressRange("::1")?.prefixLength, 128)
        XCTAssertEqual(IPAddressRange("10.0.0.0/8")?.description, "10.0.0.0/8")
    }
}
