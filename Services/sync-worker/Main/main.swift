import HubCore
import SyncWorker

await HubProcess.run(.syncWorker) { dependencies in
    try SyncWorker.buildApplication(dependencies: dependencies)
}
