import Logging
import Synchronization

/// Bootstraps swift-log once per process with the configured format and level.
public enum HubLogging {
    private static let bootstrapped = Mutex(false)

    public static func bootstrap(format: HubConfiguration.LogFormat, level: Logger.Level) {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        switch format {
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
