/**
 * The `roles` override of an identity auth type. ServiceLinker's spec only says "the Azure role to
 * be assigned"; we accept a role definition id (a GUID or a `.../roleDefinitions/<GUID>` id) or the
 * name of a built-in role from the table of defaults Service Connector documents, and store the
 * GUID. Other names are refused: a display name is not unique across custom roles.
 */
import { indexPath, type Issues } from './validation/issues.js';

export const guidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const roleDefinitionIdPattern =
  /^(?:\/subscriptions\/[^/]+)?\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-fA-F-]{36})$/i;

/** Built-in roles Service Connector assigns by default (research/service-connector.md §5.1). */
export const builtInRoles: Readonly<Record<string, string>> = {
  'DocumentDB Account Contributor': '5bd9cd88-fe45-4216-938b-f97437e15450',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Key Vault Certificate User': 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  'Azure Event Hubs Data Receiver': 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
  'Azure Event Hubs Data Sender': '2b629674-e913-4c01-ae53-ef4638d8f975',
  'App Configuration Data Reader': '516239f1-63e1-4d78-a4de-a74fb236a071',
  'Azure Service Bus Data Receiver': '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  'Azure Service Bus Data Sender': '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  'Cognitive Services OpenAI Contributor': 'a001fd3d-188f-4b5d-821b-7da978bf7442',
  'Cognitive Services User': 'a97b65f3-24c7-4388-baec-2e87135dc908',
};

const byLowerName = new Map(Object.entries(builtInRoles).map(([name, id]) => [name.toLowerCase(), id]));

/** The role definition GUID (lower case) that `value` names, or undefined. */
export function resolveRole(value: string): string | undefined {
  const text = value.trim();
  if (guidPattern.test(text)) return text.toLowerCase();
  const id = roleDefinitionIdPattern.exec(text)?.[1];
  if (id !== undefined && guidPattern.test(id)) return id.toLowerCase();
  return byLowerName.get(text.toLowerCase());
}

/** Resolves every role of the list, reporting the ones that name no role; duplicates collapse. */
export function resolveRoles(values: readonly string[] | undefined, path: string, issues: Issues): string[] {
  const out: string[] = [];
  (values ?? []).forEach((value, i) => {
    const id = resolveRole(value);
    if (id === undefined) {
      issues.add(
        'InvalidValue',
        indexPath(path, i),
        `'${indexPath(path, i)}' must be a role definition id (a GUID or '/providers/Microsoft.Authorization/roleDefinitions/<GUID>') or a built-in role name such as 'Storage Blob Data Contributor'; got '${value.slice(0, 80)}'.`,
      );
    } else if (!out.includes(id)) out.push(id);
  });
  return out;
}
