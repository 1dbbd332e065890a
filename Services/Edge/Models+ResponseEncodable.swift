import HubConnections
import HubCore
import HubSync
import HubWebhooks
import Hummingbird

// The domain models are plain `Encodable` values; being an HTTP response body is the edge's concern.

extension Connection: ResponseEncodable {}
extension ConnectionStatusChange: ResponseEncodable {}
extension ConnectionTestResult: ResponseEncodable {}
extension SyncConfig: ResponseEncodable {}
extension SyncJob: ResponseEncodable {}
extension SyncRecord: ResponseEncodable {}
extension WebhookSubscription: ResponseEncodable {}
extension RevealedSubscription: ResponseEncodable {}
extension WebhookDelivery: ResponseEncodable {}
extension InboundEvent: ResponseEncodable {}
extension SlackNotification: ResponseEncodable {}
extension ZapierKey: ResponseEncodable {}
extension RevealedZapierKey: ResponseEncodable {}
