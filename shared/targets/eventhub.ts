/** Azure Event Hubs (`.../Microsoft.EventHub/namespaces/{n}`). */
import { messagingModule } from './messaging-namespace.js';
import { roles } from './roles.js';

export const eventHub = messagingModule({
  kind: 'eventhub',
  title: 'Azure Event Hubs',
  service: 'Event Hubs',
  type: 'EVENTHUB',
  roles: [roles.eventHubsDataReceiver, roles.eventHubsDataSender],
});
