/**
 * `properties.targetService`: an Azure resource that Service Connector supports for a Kubernetes
 * source (shared/targets/kinds.ts), plus the Key Vault CSI option.
 */
import { identifyTarget, type TargetRef } from '../targets/kinds.js';
import type { TargetServiceSpec } from './linker-spec.js';
import { childPath, type Issues } from './validation/issues.js';
import { readBoolean, readObject, readString, rejectUnknown } from './validation/readers.js';

const otherTargetTypes = [
  'ConfluentBootstrapServer',
  'ConfluentSchemaRegistry',
  'SelfHostedServer',
  'FabricPlatform',
];

export interface ValidatedTarget {
  readonly spec: TargetServiceSpec;
  readonly ref: TargetRef;
}

export function validateTargetService(
  value: unknown,
  path: string,
  issues: Issues,
): ValidatedTarget | undefined {
  const obj = readObject(value, path, issues, true);
  if (obj === undefined) return undefined;
  rejectUnknown(obj, path, { known: ['type', 'id', 'resourceProperties'], what: 'targetService' }, issues);

  const typeTarget = childPath(path, 'type');
  const type = readString(obj, 'type', path, issues, { required: true });
  let typeOk = type === 'AzureResource';
  if (type !== undefined && !typeOk) {
    const known = otherTargetTypes.includes(type);
    issues.add(
      known ? 'UnsupportedValue' : 'InvalidValue',
      typeTarget,
      known
        ? `'${typeTarget}' ${type} is not supported for a Kubernetes cluster source; give 'AzureResource' and the target's resource id.`
        : `'${typeTarget}' must be 'AzureResource'.`,
    );
    typeOk = false;
  }

  const idTarget = childPath(path, 'id');
  const id = readString(obj, 'id', path, issues, { required: true, maxLength: 1024 });
  let ref: TargetRef | undefined;
  if (id !== undefined) {
    const identified = identifyTarget(id);
    if (identified.ok) ref = identified.target;
    else
      issues.add('InvalidValue', idTarget, `'${idTarget}' is not a supported target: ${identified.reason}.`);
  }

  const resourceProperties = readResourceProperties(
    obj['resourceProperties'],
    childPath(path, 'resourceProperties'),
    issues,
    ref,
  );
  if (!typeOk || id === undefined || ref === undefined || resourceProperties === 'invalid') return undefined;
  const spec: TargetServiceSpec =
    resourceProperties === undefined
      ? { type: 'AzureResource', id }
      : { type: 'AzureResource', id, resourceProperties };
  return { spec, ref };
}

function readResourceProperties(
  value: unknown,
  path: string,
  issues: Issues,
  ref: TargetRef | undefined,
): TargetServiceSpec['resourceProperties'] | 'invalid' {
  const obj = readObject(value, path, issues);
  if (obj === undefined) return value === undefined || value === null ? undefined : 'invalid';
  const ok = issues.clean(() => {
    rejectUnknown(
      obj,
      path,
      { known: ['type', 'connectAsKubernetesCsiDriver'], what: 'resourceProperties' },
      issues,
    );
    const typeTarget = childPath(path, 'type');
    const type = readString(obj, 'type', path, issues, { required: true });
    if (type === 'AppConfig') {
      issues.add(
        'UnsupportedValue',
        typeTarget,
        `'${typeTarget}' AppConfig (the App Configuration Kubernetes provider) exists only in a preview api-version; it is not supported.`,
      );
    } else if (type !== undefined && type !== 'KeyVault') {
      issues.add('InvalidValue', typeTarget, `'${typeTarget}' must be 'KeyVault'.`);
    } else if (type === 'KeyVault' && ref !== undefined && ref.kind !== 'keyvault') {
      issues.add(
        'ConflictingProperties',
        typeTarget,
        `'${typeTarget}' KeyVault applies only when the target is a Key Vault.`,
      );
    }
    readBoolean(obj, 'connectAsKubernetesCsiDriver', path, issues);
  });
  if (!ok) return 'invalid';
  return { type: 'KeyVault', connectAsKubernetesCsiDriver: obj['connectAsKubernetesCsiDriver'] === true };
}
