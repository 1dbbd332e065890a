import ConnectionService
import HubCore

await HubProcess.run(.connection) { dependencies in
    try ConnectionService.buildApplication(dependencies: dependencies)
}
