import HubCore
import XCTest

final class DatabaseURLTests: XCTestCase {
    func testURLStringParsesBackToTheSameURLWithItsPassword() throws {
        for text in ["postgres://hub:pw@db.internal:6543/hub?sslmode=require", "postgresql://hub@127.0.0.1/hub"] {
            let url = try XCTUnwrap(DatabaseURL(string: text))
            XCTAssertEqual(DatabaseURL(string: url.urlString), url, text)
        }
        XCTAssertEqual(DatabaseURL(string: "postgres://hub:pw@h/d")?.urlString, "postgres://hub:pw@h:5432/d?sslmode=disable")
    }

    func testRedactedMasksOnlyThePassword() {
        XCTAssertEqual(DatabaseURL(string: "postgres://hub:pw@h:1/d")?.redacted, "postgres://hub:***@h:1/d?sslmode=disable")
        XCTAssertEqual(DatabaseURL(string: "postgres://hub@h:1/d")?.redacted, "postgres://hub@h:1/d?sslmode=disable")
    }

    func testCredentialsWithURLDelimitersAndIPv6HostsRoundTrip() throws {
        var url = try XCTUnwrap(DatabaseURL(string: "postgres://hub@[::1]:5432/hub"))
        XCTAssertEqual(url.host, "::1")
        url.username = "ops@acme"
        url.password = "p@ss:w/rd%?#é"
        let text = url.urlString
        XCTAssertFalse(text.contains("p@ss"), "delimiters in the password are encoded")
        XCTAssertEqual(DatabaseURL(string: text), url)
        XCTAssertEqual(url.redacted, "postgres://ops%40acme:***@[::1]:5432/hub?sslmode=disable")
    }
}
