import Configuration
import Foundation

/// Reads raw values for `HubConfiguration` and collects every problem instead of stopping at the
/// first. Values are read as strings through swift-configuration's `ConfigReader` (so keys map to
/// environment names one way everywhere) and parsed here, because a value that is present but
/// malformed must fail start-up rather than fall back to a default silently.
struct EnvironmentReader {
    let reader: ConfigReader
    /// The variables' names, for families of settings keyed by a name part (`HUB_PROVIDER_<ID>_…`).
    let names: Set<String>
    private(set) var problems: [String] = []

    init(environment: [String: String]) {
        self.reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
        self.names = Set(environment.keys)
    }

    /// The set variables whose names start with `prefix`, sorted.
    func names(withPrefix prefix: String) -> [String] {
        names.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// A non-empty string, or nil when unset or blank.
    func optional(_ name: String, secret: Bool = false) -> String? {
        guard let value = reader.string(forKey: ConfigKey(name), isSecret: secret) else { return nil }
        let trimmed = value.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    mutating func required(_ name: String, secret: Bool = false, meaning: String) -> String {
        guard let value = optional(name, secret: secret) else {
            problems.append("\(name) is required: \(meaning)")
            return ""
        }
        return value
    }

    mutating func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) -> Int {
        guard let raw = optional(name) else { return defaultValue }
        guard let value = Int(raw), range.contains(value) else {
            problems.append("\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(raw)'")
            return defaultValue
        }
        return value
    }

    mutating func boolean(_ name: String, default defaultValue: Bool) -> Bool {
        guard let raw = optional(name) else { return defaultValue }
        switch raw.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default:
            problems.append("\(name) must be true or false, got '\(raw)'")
            return defaultValue
        }
    }

    mutating func problem(_ message: String) {
        problems.append(message)
    }
}
