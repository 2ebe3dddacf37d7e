import { fe, FieldPath, type FieldError } from './field-errors.js';
import { builtIn, type ResourceType } from './resource-type.js';
import { base64Check, decodeError } from './secret-data.js';
import { deepEqual, obj, str, type JsonObject } from '../core/json.js';
import { schemas } from '../ssa/schema.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/meta.js';
import { isConfigMapKey, nameIsDNSSubdomain } from '../validation/names.js';

/** core/v1 MaxSecretSize, also the ConfigMap limit. */
export const maxDataSize = 1024 * 1024;

function checkBase64(kind: string, data: JsonObject | undefined): number {
  let total = 0;
  for (const value of Object.values(data ?? {})) {
    if (typeof value !== 'string')
      throw decodeError(kind, 'json: cannot unmarshal value into Go value of type []byte');
    const check = base64Check(value);
    if (!check.ok) throw decodeError(kind, `illegal base64 data at input byte ${check.at}`);
    total += check.length;
  }
  return total;
}

function immutableUpdateErrors(o: JsonObject, old: JsonObject, dataFields: readonly string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  const msg = 'field is immutable when `immutable` is set';
  if (o.immutable !== true) errs.push(fe.forbidden('immutable', msg));
  for (const f of dataFields) if (!deepEqual(o[f], old[f])) errs.push(fe.forbidden(f, msg));
  return errs;
}

const secretTypeRequirements: Record<string, readonly string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export const secrets: ResourceType = builtIn({
  group: '',
  version: 'v1',
  resource: 'secrets',
  kind: 'Secret',
  namespaced: true,
  nameValidator: nameIsDNSSubdomain,
  schema: schemas.data,
  fieldSelectors: { type: (o) => str(o.type) ?? '' },
  /** v1 -> internal conversion: stringData is write-only and lands in data before admission. */
  defaults: (o) => {
    o.type ??= 'Opaque';
    checkBase64('Secret', obj(o.data));
    const stringData = obj(o.stringData);
    if (stringData !== undefined) {
      const data: JsonObject = obj(o.data) ?? {};
      for (const [k, v] of Object.entries(stringData)) {
        data[k] = Buffer.from(typeof v === 'string' ? v : '').toString('base64');
      }
      o.data = data;
      delete o.stringData;
    }
  },
  validate: (o) => {
    const errs = validateObjectMeta(o, true, nameIsDNSSubdomain);
    const dataPath = FieldPath.root('data');
    let total = 0;
    for (const [key, value] of Object.entries(obj(o.data) ?? {})) {
      for (const m of isConfigMapKey(key)) errs.push(fe.invalid(dataPath.key(key).toString(), key, m));
      total += typeof value === 'string' && base64Check(value).ok ? Buffer.from(value, 'base64').length : 0;
    }
    if (total > maxDataSize) errs.push(fe.tooLong('data', maxDataSize));
    const required = secretTypeRequirements[str(o.type) ?? ''] ?? [];
    for (const key of required) {
      if (obj(o.data)?.[key] === undefined) errs.push(fe.required(dataPath.key(key).toString()));
    }
    if (str(o.type) === 'kubernetes.io/service-account-token') {
      const sa = str(obj(obj(o.metadata)?.annotations)?.['kubernetes.io/service-account.name']) ?? '';
      if (sa === '') errs.push(fe.required('metadata.annotations[kubernetes.io/service-account.name]'));
    }
    return errs;
  },
  validateUpdate: (o, old) => {
    const errs = validateObjectMetaUpdate(o, old);
    if (str(o.type) !== str(old.type)) errs.push(fe.invalid('type', o.type ?? '', 'field is immutable'));
    errs.push(...immutableUpdateErrors(o, old, ['data']));
    return errs;
  },
});

export const configMaps: ResourceType = builtIn({
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
  shortNames: ['cm'],
  nameValidator: nameIsDNSSubdomain,
  schema: schemas.data,
  defaults: (o) => {
    checkBase64('ConfigMap', obj(o.binaryData));
  },
  validate: (o) => {
    const errs = validateObjectMeta(o, true, nameIsDNSSubdomain);
    let total = 0;
    const data = obj(o.data) ?? {};
    for (const [key, value] of Object.entries(data)) {
      for (const m of isConfigMapKey(key)) errs.push(fe.invalid(`data[${key}]`, key, m));
      total += Buffer.byteLength(typeof value === 'string' ? value : '');
    }
    for (const [key, value] of Object.entries(obj(o.binaryData) ?? {})) {
      for (const m of isConfigMapKey(key)) errs.push(fe.invalid(`binaryData[${key}]`, key, m));
      if (key in data) errs.push(fe.invalid(`binaryData[${key}]`, key, 'duplicate of key present in data'));
      total += typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
    }
    if (total > maxDataSize) errs.push(fe.tooLong(FieldPath.root('').toString(), maxDataSize));
    return errs;
  },
  validateUpdate: (o, old) => [
    ...validateObjectMetaUpdate(o, old),
    ...immutableUpdateErrors(o, old, ['data', 'binaryData']),
  ],
});

export const serviceAccounts: ResourceType = builtIn({
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  kind: 'ServiceAccount',
  namespaced: true,
  shortNames: ['sa'],
  nameValidator: nameIsDNSSubdomain,
  schema: schemas.generic,
  validate: (o) => validateObjectMeta(o, true, nameIsDNSSubdomain),
  validateUpdate: (o, old) => validateObjectMetaUpdate(o, old),
});
