import type { JsonObject } from '../core/json.js';
import type { ResourceType } from '../api/resource-type.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface UserInfo {
  readonly username: string;
  readonly uid?: string;
  readonly groups: readonly string[];
}

/** admission.Attributes: what one request looks like to admission plugins and webhooks. */
export interface AdmissionAttributes {
  readonly type: ResourceType;
  readonly subresource: string;
  readonly operation: Operation;
  readonly name: string;
  readonly namespace: string;
  /** The object being written; webhooks mutate it in place through JSON patches. */
  object: JsonObject | null;
  readonly oldObject: JsonObject | null;
  readonly dryRun: boolean;
  /** CreateOptions / UpdateOptions / DeleteOptions / PatchOptions as the review carries them. */
  readonly options: JsonObject;
  readonly user: UserInfo;
}

/** What admission reads from the cluster: the registered configurations and namespace labels. */
export interface AdmissionHost {
  webhookConfigurations(
    resource: 'mutatingwebhookconfigurations' | 'validatingwebhookconfigurations',
  ): JsonObject[];
  namespaceLabels(name: string): Readonly<Record<string, string>> | undefined;
}
