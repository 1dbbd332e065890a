import OAuthService
import HubCore

await HubProcess.run(.oauth) { dependencies in
    try OAuthService.buildApplication(dependencies: dependencies)
}
