import CatalogService
import HubCore

await HubProcess.run(.catalog) { dependencies in
    try CatalogService.buildApplication(dependencies: dependencies)
}
