/** Azure Service Bus (`.../Microsoft.ServiceBus/namespaces/{n}`). */
import { messagingModule } from './messaging-namespace.js';
import { roles } from './roles.js';

export const serviceBus = messagingModule({
  kind: 'servicebus',
  title: 'Azure Service Bus',
  service: 'Service Bus',
  type: 'SERVICEBUS',
  roles: [roles.serviceBusDataReceiver, roles.serviceBusDataSender],
});
