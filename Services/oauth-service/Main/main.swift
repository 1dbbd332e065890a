import HubCore
import OAuthService

await HubProcess.run(.oauth) { dependencies in
    try OAuthService.buildApplication(dependencies: dependencies)
}
