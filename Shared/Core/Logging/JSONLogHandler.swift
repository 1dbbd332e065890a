import Foundation
import Logging

/// Writes one JSON object per line to standard error: time, level, logger label, message and
/// metadata (request id, organization, …) as fields. One event per line keeps logs greppable
/// and machine-parseable; secrets never reach here because callers log ids, not values.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let output: LogOutput

    public init(label: String, level: Logger.Level, output: LogOutput = .standardError) {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: JSONValue] = [
            "ts": .string(Self.timestamp()),
            "level": .string(event.level.rawValue),
            "logger": .string(label),
            "msg": .string(event.message.description),
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for (key, value) in merged where fields[key] == nil {
            fields[key] = Self.json(value)
        }
        if event.level >= .warning {
            fields["source"] = .string("\(event.file.split(separator: "/").last ?? ""):\(event.line)")
        }
        guard var line = try? JSONEncoder.hub.encode(JSONValue.object(fields)) else { return }
        line.append(UInt8(ascii: "\n"))
        output.write(line)
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let string): .string(string)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let dictionary): .object(dictionary.mapValues(json))
        }
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon))
    }
}

/// Where log lines go: standard error in processes, a buffer in tests that read the logs back
/// (the secret-leak tests grep them).
public final class LogOutput: Sendable {
    private let sink: @Sendable (Data) -> Void

    public init(_ sink: @escaping @Sendable (Data) -> Void) {
        self.sink = sink
    }

    func write(_ data: Data) {
        sink(data)
    }

    public static let standardError = LogOutput { data in
        FileHandle.standardError.write(data)
    }
}
