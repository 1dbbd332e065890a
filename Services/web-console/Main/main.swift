import HubCore
import WebConsole

await HubProcess.run(.console) { dependencies in
    try await WebConsole.buildApplication(dependencies: dependencies)
}
