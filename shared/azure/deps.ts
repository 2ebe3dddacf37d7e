/** What every adapter is built from: the typed clients and the REST pipeline, shared by all ports. */
import type { ArmRest } from './arm-rest.js';
import type { SdkClients } from './sdk-clients.js';

export interface AdapterDeps {
  readonly clients: SdkClients;
  readonly rest: ArmRest;
}
