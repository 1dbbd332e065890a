import SyncWorker
import HubCore

await HubProcess.run(.syncWorker) { dependencies in
    try SyncWorker.buildApplication(dependencies: dependencies)
}
