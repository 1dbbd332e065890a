import Foundation
import HubCore
import NIOHTTP1
import Synchronization
import Testing

@testable import HubConnectors

/// PayPal's certificate scheme against the vector of PayPal's own REST SDK tests: a real sandbox
/// `PAYMENT.SALE.COMPLETED` event signed by PayPal for webhook `4JH86294D6297924G` (verified with
/// `openssl dgst -sha256 -verify` too), the certificate served for its `PAYPAL-CERT-URL`.
@Suite struct PayPalWebhookVerifierTests {
    /// The event as PayPal sent it: one line of 1,288 bytes (SHA-256 `e03d21c7…0ff9f7`), cut here for width.
    static let body = Array(
        [
            #"{"id":"WH-0G2756385H040842W-5Y612302CV158622M","create_time":"2015-05-18T15:45:13Z","resource_type":"sale","ev"#,
            #"ent_type":"PAYMENT.SALE.COMPLETED","summary":"Payment completed for $ 20.0 USD","resource":{"id":"4EU700426801"#,
            #"5634R","create_time":"2015-05-18T15:44:02Z","update_time":"2015-05-18T15:44:21Z","amount":{"total":"20.00","cu"#,
            #"rrency":"USD"},"payment_mode":"INSTANT_TRANSFER","state":"completed","protection_eligibility":"ELIGIBLE","prot"#,
            #"ection_eligibility_type":"ITEM_NOT_RECEIVED_ELIGIBLE,UNAUTHORIZED_PAYMENT_ELIGIBLE","parent_payment":"PAY-86C8"#,
            #"1811X5228590KKVNARQQ","transaction_fee":{"value":"0.88","currency":"USD"},"links":[{"href":"https://api.sandbo"#,
            #"x.paypal.com/v1/payments/sale/4EU7004268015634R","rel":"self","method":"GET"},{"href":"https://api.sandbox.pay"#,
            #"pal.com/v1/payments/sale/4EU7004268015634R/refund","rel":"refund","method":"POST"},{"href":"https://api.sandbo"#,
            #"x.paypal.com/v1/payments/payment/PAY-86C81811X5228590KKVNARQQ","rel":"parent_payment","method":"GET"}]},"links"#,
            #"":[{"href":"https://api.sandbox.paypal.com/v1/notifications/webhooks-events/WH-0G2756385H040842W-5Y612302CV158"#,
            #"622M","rel":"self","method":"GET"},{"href":"https://api.sandbox.paypal.com/v1/notifications/webhooks-events/WH"#,
            #"-0G2756385H040842W-5Y612302CV158622M/resend","rel":"resend","method":"POST"}]}"#,
        ].joined().utf8
    )
    static let webhookID = "4JH86294D6297924G"
    static let certificateURL = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77"
    static let headers: HTTPHeaders = [
        "PAYPAL-TRANSMISSION-ID": "dfb3be50-fd74-11e4-8bf3-77339302725b", "PAYPAL-TRANSMISSION-TIME": "2015-05-18T15:45:13Z",
        "PAYPAL-TRANSMISSION-SIG": [
            "thy4/U002quzxFavHPwbfJGcc46E8rc5jzgyeafWm5mICTBdY/8rl7WJpn8JA0GKA+oDTPsSruqusw+XXg5RLAP7ip53Euh9Xu3U",
            "bUhQFX7UgwzE2FeYoY6lyRMiiiQLzy9BvHfIzNIVhPad4KnC339dr6y2l+mN8ALgI4GCdIh3/SoJO5wE64Bh/ueWtt8EVuvsvXfd",
            "a2Le5a2TrOI9vLEzsm9GS79hAR/5oLexNz8UiZr045Mr5ObroH4w4oNfmkTaDk9Rj0G19uvISs5QzgmBpauKr7Nw++JI0pr/v5mF",
            "ctQkoWJSGfBGzPRXawrvIIVHQ9Wer48GR2g9ZiApWg==",
        ].joined(),
        "PAYPAL-CERT-URL": certificateURL, "PAYPAL-AUTH-ALGO": "SHA256withRSA",
    ]
    /// PayPal's sandbox message-verification certificate (DigiCert EV, valid 2015-03-18 to 2017-03-22).
    static let certificate = """
        -----BEGIN CERTIFICATE-----
        MIIHqDCCBpCgAwIBAgIQCSVMkxB1Kw9SPZtpAr3lTDANBgkqhkiG9w0BAQsFADB1
        MQswCQYDVQQGEwJVUzEVMBMGA1UEChMMRGlnaUNlcnQgSW5jMRkwFwYDVQQLExB3
        d3cuZGlnaWNlcnQuY29tMTQwMgYDVQQDEytEaWdpQ2VydCBTSEEyIEV4dGVuZGVk
        IFZhbGlkYXRpb24gU2VydmVyIENBMB4XDTE1MDMxODAwMDAwMFoXDTE3MDMyMjEy
        MDAwMFowggElMR0wGwYDVQQPDBRQcml2YXRlIE9yZ2FuaXphdGlvbjETMBEGCysG
        AQQBgjc8AgEDEwJVUzEZMBcGCysGAQQBgjc8AgECEwhEZWxhd2FyZTEQMA4GA1UE
        BRMHMzAxNDI2NzEWMBQGA1UECRMNMjIxMSBOIDFzdCBTdDEOMAwGA1UEERMFOTUx
        MzExCzAJBgNVBAYTAlVTMRMwEQYDVQQIEwpDYWxpZm9ybmlhMREwDwYDVQQHEwhT
        YW4gSm9zZTEVMBMGA1UEChMMUGF5UGFsLCBJbmMuMRgwFgYDVQQLEw9QYXJ0bmVy
        IFN1cHBvcnQxNDAyBgNVBAMTK21lc3NhZ2V2ZXJpZmljYXRpb25jZXJ0cy5zYW5k
        Ym94LnBheXBhbC5jb20wggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDI
        XgwJj1E+vPOLNA7e3nFsRpQq7G1CFcoCNeRgFIGRfd4itt2jBRPfHXf1eeXODQ6V
        wTMP6rVYrI3HBQu5SZRZKO3gALPiBWTcz5FhVovYDz/d/DtasA5L7l1xmRM+GGPE
        e/D3ETPeyym6GTAuIzR1ju1BuSQlVnIrcILDHrFZo0RyqFH1eNL3oYfgz+ZCv+WH
        65rhS60VowiLAb2lsARckJ2P8wKIps3YUxAqVG5SJ9H49ueBDI01wEzE/+59J8s9
        GThmbMTqP6x4MneAcGN1TPimGd9wZlbwwrCYDtCoqFDcxMVgvD83uPrIinFwTIOX
        w63QSv8/+ANuawBcNJDrAgMBAAGjggOAMIIDfDAfBgNVHSMEGDAWgBQ901Cl1qCt
        7vNKYApl0yHU+PjWDzAdBgNVHQ4EFgQUt5yLggZOjjfzULzZCgX2KZO3R/gwNgYD
        VR0RBC8wLYIrbWVzc2FnZXZlcmlmaWNhdGlvbmNlcnRzLnNhbmRib3gucGF5cGFs
        LmNvbTAOBgNVHQ8BAf8EBAMCBaAwHQYDVR0lBBYwFAYIKwYBBQUHAwEGCCsGAQUF
        BwMCMHUGA1UdHwRuMGwwNKAyoDCGLmh0dHA6Ly9jcmwzLmRpZ2ljZXJ0LmNvbS9z
        aGEyLWV2LXNlcnZlci1nMS5jcmwwNKAyoDCGLmh0dHA6Ly9jcmw0LmRpZ2ljZXJ0
        LmNvbS9zaGEyLWV2LXNlcnZlci1nMS5jcmwwQgYDVR0gBDswOTA3BglghkgBhv1s
        AgEwKjAoBggrBgEFBQcCARYcaHR0cHM6Ly93d3cuZGlnaWNlcnQuY29tL0NQUzCB
        iAYIKwYBBQUHAQEEfDB6MCQGCCsGAQUFBzABhhhodHRwOi8vb2NzcC5kaWdpY2Vy
        dC5jb20wUgYIKwYBBQUHMAKGRmh0dHA6Ly9jYWNlcnRzLmRpZ2ljZXJ0LmNvbS9E
        aWdpQ2VydFNIQTJFeHRlbmRlZFZhbGlkYXRpb25TZXJ2ZXJDQS5jcnQwDAYDVR0T
        AQH/BAIwADCCAX0GCisGAQQB1nkCBAIEggFtBIIBaQFnAHUApLkJkLQYWBSHuxOi
        zGdwCjw1mAT5G9+443fNDsgN3BAAAAFMLovtNgAABAMARjBEAiBTR7r3p76qUJzF
        23lsbD/cLsA0KlxoJRSIvIK0OIYWiQIgVQWja8tWBlpcoFP30Iym7IuczitSazpH
        fhKAVroTgXgAdgBo9pj4H2SCvjqM7rkoHUz8cVFdZ5PURNEKZ6y7T0/7xAAAAUwu
        i+z4AAAEAwBHMEUCIEP3VYyLQB7lOgFo4WstyOurmRe3xa0OVaeFL/bDohHOAiEA
        +xQrRVAfaeT4qBdBJzLyVLU4V9bh/qBMXJdjvYujhAcAdgBWFAaaL9fC7NP14b1E
        sj7HRna5vJkRXMDvlJhV1onQ3QAAAUwui+6EAAAEAwBHMEUCIQC/YUc5X6xyb3ho
        o4VMSJqSoNg9KKkvLh9nUQCdwHi3/QIgNwcBc9ZZCR/aWXQ7hKH6d39kpkDX2Z43
        XPy/Kl5sKI4wDQYJKoZIhvcNAQELBQADggEBAHixEZNpb0M1MsvsfNI6lLKxrs9s
        JkcBcmxrFyhTC8KP+Qp+Z1fnMRQwpTLIMr1+uAMqCPAnIShGHeFNJpUFSMyW4o0l
        +pZGz/L/YJBs7XP3ChSGC17ZKeGSQFfMqMQXfY/L6+n/1HkAwqmewqUMEuUmWN3F
        kXJqVngIYGZtxXRyiv2azLOhrNP8BgNZK6d2gVxntQfGr4hnd8Juq8SJy/S4xpPY
        YPD8vW7/wSOdAe1/kU38QwDVBQ5PJePS2WFwz8YA/eKcyg9lfsianfw35SjehJbn
        wGwzUbjtibyJnv3eAeYDGxaI6vbuoE99pSmYGIwSBLJwZamJHjci6HL6wLg=
        -----END CERTIFICATE-----
        """
    /// Inside the certificate's validity.
    static let signedAt = Date(timeIntervalSince1970: 1_450_000_000)

    /// The certificate URLs a verifier fetched.
    final class Fetches: Sendable {
        let urls = Mutex<[String]>([])
    }

    /// A verifier for `webhookID` whose certificate fetches are counted and answered with the vector's certificate.
    static func verifier(webhookID: String = webhookID, fetches: Fetches = Fetches()) -> PayPalWebhookVerifier {
        PayPalWebhookVerifier(webhookID: webhookID, certificates: PayPalCertificateCache()) { url throws(ConnectorError) in
            fetches.urls.withLock { $0.append(url) }
            guard url == certificateURL else { throw .notFound(entity: "certificate", id: url) }
            return Array(certificate.utf8)
        }
    }

    @Test func crc32IsTheUnsignedChecksumPayPalSigns() {
        #expect(CRC32.checksum(Array(#"{"id":"WH-TEST","event_type":"INVOICING.INVOICE.PAID"}"#.utf8)) == 1_543_486_222)
        #expect(CRC32.checksum(Self.body) == 2_771_810_304)
        #expect(
            PayPalWebhookVerifier.signedMessage(
                transmissionID: "dfb3be50-fd74-11e4-8bf3-77339302725b",
                time: "2015-05-18T15:45:13Z",
                webhookID: Self.webhookID,
                body: Self.body
            )
                == "dfb3be50-fd74-11e4-8bf3-77339302725b|2015-05-18T15:45:13Z|4JH86294D6297924G|2771810304"
        )
    }

    @Test func paypalsSignedEventVerifiesAndItsCertificateIsFetchedOnce() async throws {
        let fetches = Fetches()
        let verifier = Self.verifier(fetches: fetches)
        let webhook = try await verifier.verify(body: Self.body, headers: Self.headers, now: Self.signedAt)
        #expect(webhook.eventID == "WH-0G2756385H040842W-5Y612302CV158622M")
        #expect(webhook.eventType == "PAYMENT.SALE.COMPLETED")
        #expect(webhook.accountID == nil)
        _ = try await verifier.verify(body: Self.body, headers: Self.headers, now: Self.signedAt)
        #expect(fetches.urls.withLock { $0 } == [Self.certificateURL])
    }

    @Test func aTamperedBodyOrAnotherWebhooksIDDoesNotVerify() async {
        var tampered = Self.body
        tampered[tampered.firstIndex(of: UInt8(ascii: "2"))!] = UInt8(ascii: "9")
        await #expect(throws: WebhookVerificationError.signatureMismatch) {
            try await Self.verifier().verify(body: tampered, headers: Self.headers, now: Self.signedAt)
        }
        await #expect(throws: WebhookVerificationError.signatureMismatch) {
            try await Self.verifier(webhookID: "WEBHOOK_ID").verify(body: Self.body, headers: Self.headers, now: Self.signedAt)
        }
    }

    @Test(arguments: [
        "https://evil.example/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77",
        "https://api.sandbox.paypal.com.evil.example/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77",
        "http://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77",
        "https://api.sandbox.paypal.com/v1/notifications/certs/../../oauth2/token",
        "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-1?x=https://evil.example",
        "https://api.sandbox.paypal.com/v1/notifications/certs/",
    ])
    func certificatesAreFetchedOnlyFromPayPalsCertificatePaths(url: String) async {
        let fetches = Fetches()
        var headers = Self.headers
        headers.replaceOrAdd(name: "PAYPAL-CERT-URL", value: url)
        await #expect(throws: WebhookVerificationError.unknownKey) {
            try await Self.verifier(fetches: fetches).verify(body: Self.body, headers: headers, now: Self.signedAt)
        }
        #expect(fetches.urls.withLock { $0 }.isEmpty)
    }

    @Test func anExpiredCertificateAnotherAlgorithmOrMissingHeadersAreRefused() async {
        await #expect(throws: WebhookVerificationError.unknownKey) {
            try await Self.verifier().verify(body: Self.body, headers: Self.headers, now: Date(timeIntervalSince1970: 1_700_000_000))
        }
        var sha1 = Self.headers
        sha1.replaceOrAdd(name: "PAYPAL-AUTH-ALGO", value: "SHA1withRSA")
        await #expect(throws: WebhookVerificationError.malformedSignature) {
            try await Self.verifier().verify(body: Self.body, headers: sha1, now: Self.signedAt)
        }
        var unsigned = Self.headers
        unsigned.remove(name: "PAYPAL-TRANSMISSION-SIG")
        await #expect(throws: WebhookVerificationError.missingSignature) {
            try await Self.verifier().verify(body: Self.body, headers: unsigned, now: Self.signedAt)
        }
    }

    @Test func theAllowListFollowsTheEnvironmentsEndpoints() {
        let context = ConnectorContext(
            credentials: [:],
            baseURL: "http://127.0.0.1:8090/paypal",
            transport: ProviderTransport(),
            endpoints: ProviderEndpoints(sandboxBaseURL: "http://127.0.0.1:8090")
        )
        let verifier = PayPalWebhookVerifier(webhookID: Self.webhookID, context: context)
        #expect(verifier.allowedPrefixes == ["http://127.0.0.1:8090/paypal/v1/notifications/certs/"])
        let live = ConnectorContext(credentials: [:], baseURL: PayPalConnector.apiBaseURL, transport: ProviderTransport())
        let production = PayPalWebhookVerifier(webhookID: Self.webhookID, context: live)
        #expect(production.allowedPrefixes == PayPalWebhookVerifier.certificatePrefixes)
    }

    /// A self-signed certificate whose common name only looks like PayPal's.
    static let lookalike = """
        -----BEGIN CERTIFICATE-----
        MIIDWTCCAkGgAwIBAgIUTUTQnTpII3DmpAumPi9FskuMiyAwDQYJKoZIhvcNAQEL
        BQAwOzE5MDcGA1UEAwwwbWVzc2FnZXZlcmlmaWNhdGlvbmNlcnRzLnBheXBhbC5j
        b20uZXZpbC5leGFtcGxlMCAXDTI2MTIwNTAwMzU0OFoYDzIxMjYxMTExMDAzNTQ4
        WjA7MTkwNwYDVQQDDDBtZXNzYWdldmVyaWZpY2F0aW9uY2VydHMucGF5cGFsLmNv
        bS5ldmlsLmV4YW1wbGUwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCX
        1M+DMAC6IESochtGa0tgtLjgrqRfqCBxYD/Yc6lnGMFYT9kvTezMoMsn9BLBvxRD
        SuzIGK65rTx+33KTQIdRlj5reWvHq/ejGTh2tN250uxyCFxCdeDjfiChFJms0cRk
        bXed4mCHXCI2ZQ4moB0/aLLRhk76jmS2j6znMi3d5t09HdLyGtsDdjLvocZzE+RE
        tcbz+6/b5Nror5uviUPByvLfjyp0XbiRg9GESiszvZ7WjlAhXa2wFXN6kPcQhJNn
        J/dHeSb6lX/xaGWmAvXGj/tLs7VAyZ0lXH27i2Z986I9Eq37HMv7bEtwLSGfvwlw
        m+k1htQa/A4t+8a5o6WFAgMBAAGjUzBRMB0GA1UdDgQWBBT7O20nSJ+5IYAPJiPb
        PaVqvUHvIjAfBgNVHSMEGDAWgBT7O20nSJ+5IYAPJiPbPaVqvUHvIjAPBgNVHRMB
        Af8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQAfowF3Tx+LucporJ/xfCwE8K76
        w1LCpQgO9IbGG4zqMUvVdFdXZ5UjQ85yoHkCJoXXMDBeXTjP/ortK1hZ5UYepnJe
        BtShxO/1KWiO7IMMcC1fTQS29skAMx3E7Z5K0aJL6cyAYhiV4DegdA/DpLQfu2Ye
        +emUuEo0bq5NN3ESD31P5OZx1fp0FIfkD6TZe3Mf8FFdm76eW0DjqeA5mnUNOB+/
        J2SGk4/Vi7n6m1XvHhL5mW4ZfsnjqWXfffMchGIsBfKtrxj/SPGW3a3SEPVJd2GI
        2zs0e0twFVOPfFnnycRC7axZSigS8WQwcDtSZ6k6SFX5FPr6DoShlhypxAjW
        -----END CERTIFICATE-----
        """

    @Test func aCertificateThatIsNotPayPalsIsRefusedAndItsURLIsNotFetchedAgainForAMinute() async {
        let fetches = Fetches()
        let verifier = PayPalWebhookVerifier(webhookID: Self.webhookID, certificates: PayPalCertificateCache()) { url throws(ConnectorError) in
            fetches.urls.withLock { $0.append(url) }
            return Array(Self.lookalike.utf8)
        }
        for seconds in [0.0, 30, 59] {
            await #expect(throws: WebhookVerificationError.unknownKey) {
                try await verifier.verify(body: Self.body, headers: Self.headers, now: Self.signedAt + seconds)
            }
        }
        #expect(fetches.urls.withLock { $0.count } == 1)
        await #expect(throws: WebhookVerificationError.unknownKey) {
            try await verifier.verify(body: Self.body, headers: Self.headers, now: Self.signedAt + 61)
        }
        #expect(fetches.urls.withLock { $0.count } == 2)
    }
}
