/// Which resolved addresses a webhook may be sent to: nothing private, loopback, link-local,
/// multicast, reserved or cloud-metadata, unless the operator's allow-list names it. IPv6 forms
/// that embed an IPv4 address (mapped, NAT64, 6to4) are judged by that address; Teredo, whose
/// embedded address is obscured, and local-use NAT64 are refused outright.
public struct TargetAddressPolicy: Sendable {
    public let allowed: [IPAddressRange]

    public init(allowed: [IPAddressRange]) {
        self.allowed = allowed
    }

    static let blocked: [IPAddressRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "2001:db8::/32", "100::/64",
        "2001::/32", "64:ff9b:1::/48",
    ].compactMap { IPAddressRange($0) }

    static let mappedV4 = IPAddressRange("::ffff:0:0/96")!
    static let nat64 = IPAddressRange("64:ff9b::/96")!
    static let compatibleV4 = IPAddressRange("::/96")!
    /// `2002:AABB:CCDD::/48` routes to the IPv4 address AA.BB.CC.DD (RFC 3056).
    static let sixToFour = IPAddressRange("2002::/16")!

    public func permits(_ address: [UInt8]) -> Bool {
        if allowed.contains(where: { $0.contains(address) }) { return true }
        if address.count == 16, Self.mappedV4.contains(address) || Self.nat64.contains(address) || Self.compatibleV4.contains(address) {
            return permits(Array(address[12...]))
        }
        if address.count == 16, Self.sixToFour.contains(address) {
            return permits(Array(address[2..<6]))
        }
        return !Self.blocked.contains { $0.contains(address) }
    }
}
