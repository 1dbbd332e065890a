import WebhookService
import HubCore

await HubProcess.run(.webhook) { dependencies in
    try WebhookService.buildApplication(dependencies: dependencies)
}
