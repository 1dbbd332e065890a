import Foundation
import HubWebhooks
import XCTest

final class StandardWebhookSignerTests: XCTestCase {
    /// The Standard Webhooks specification's published vector.
    func testSignatureMatchesTheSpecificationVector() throws {
        let secret = try XCTUnwrap(SigningSecret(text: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let signature = StandardWebhookSigner.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp: 1_614_265_330,
            body: Data(#"{"test": 2432232314}"#.utf8),
            secrets: [secret]
        )
        XCTAssertEqual(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    func testDuringARotationBothSecretsSign() throws {
        let new = SigningSecret.generate()
        let old = try XCTUnwrap(SigningSecret(text: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let body = Data(#"{"test": 2432232314}"#.utf8)
        let signature = StandardWebhookSigner.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp: 1_614_265_330,
            body: body,
            secrets: [new, old]
        )
        let parts = signature.split(separator: " ")
        XCTAssertEqual(parts.count, 2)
        XCTAssertEqual(parts[1], "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    func testGeneratedSecretsHaveThePrefixAndEnoughRandomBytes() throws {
        let secret = SigningSecret.generate()
        XCTAssertTrue(secret.text.hasPrefix("whsec_"))
        XCTAssertGreaterThanOrEqual(secret.key.count, 24)
        XCTAssertEqual(SigningSecret(text: secret.text), secret)
        XCTAssertNotEqual(SigningSecret.generate(), secret)
        XCTAssertNil(SigningSecret(text: "whsec_c2hvcnQ="), "fewer than 24 bytes")
        XCTAssertNil(SigningSecret(text: "secret"))
    }
}
