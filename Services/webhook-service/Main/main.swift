import HubCore
import WebhookService

await HubProcess.run(.webhook) { dependencies in
    try WebhookService.buildApplication(dependencies: dependencies)
}
