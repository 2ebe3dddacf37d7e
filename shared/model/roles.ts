/**
 * The `roles` override of an identity auth type. ServiceLinker's spec only says "the Azure role to
 * be assigned"; we accept a role definition id (a GUID or a `.../roleDefinitions/<GUID>` id) or the
 * name of a built-in role the targets catalog knows (Service Connector's documented defaults), and
 * store the GUID. Other names are refused: a display name is not unique across custom roles.
 */
import { roles as catalogRoles } from '../targets/roles.js';
import { indexPath, type Issues } from './validation/issues.js';

export const guidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const roleDefinitionIdPattern =
  /^(?:\/subscriptions\/[^/]+)?\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-fA-F-]{36})$/i;

/** Built-in role name (lower case) -> role definition GUID, from the targets catalog. */
const byLowerName = new Map<string, string>(
  Object.values(catalogRoles).map((role) => [role.name.toLowerCase(), role.roleDefinitionId]),
);

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
