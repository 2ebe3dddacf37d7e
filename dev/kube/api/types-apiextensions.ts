import { fe, type FieldError } from './field-errors.js';
import { builtIn, type ResourceType } from './resource-type.js';
import { arr, child, isObject, obj, str, type JsonObject } from '../core/json.js';
import { nameOf } from '../core/meta.js';
import { objectSchema } from '../ssa/schema.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/meta.js';
import { isDNS1035Label, nameIsDNSSubdomain } from '../validation/names.js';
import { prune, schemaNodeFrom, validateCustomResource } from '../validation/openapi.js';

function versionsOf(crd: JsonObject): JsonObject[] {
  return (arr(obj(crd.spec)?.versions) ?? []).filter(isObject);
}

function validateCrd(o: JsonObject): FieldError[] {
  const errs = validateObjectMeta(o, false, nameIsDNSSubdomain);
  const spec = obj(o.spec) ?? {};
  const names = obj(spec.names) ?? {};
  const group = str(spec.group) ?? '';
  const plural = str(names.plural) ?? '';
  if (nameOf(o) !== `${plural}.${group}`) {
    errs.push(fe.invalid('metadata.name', nameOf(o), 'must be spec.names.plural+"."+spec.group'));
  }
  if (group === '') errs.push(fe.required('spec.group'));
  else if (!group.includes('.'))
    errs.push(fe.invalid('spec.group', group, 'should be a domain with at least one dot'));
  for (const f of ['plural', 'kind', 'listKind'] as const) {
    if ((str(names[f]) ?? '') === '') errs.push(fe.required(`spec.names.${f}`));
  }
  if (plural !== '')
    for (const m of isDNS1035Label(plural)) errs.push(fe.invalid('spec.names.plural', plural, m));
  const scope = str(spec.scope) ?? '';
  if (scope === '') errs.push(fe.required('spec.scope'));
  else if (!['Cluster', 'Namespaced'].includes(scope))
    errs.push(fe.notSupported('spec.scope', scope, ['Cluster', 'Namespaced']));
  const versions = versionsOf(o);
  if (versions.length === 0)
    errs.push(fe.invalid('spec.versions', [], 'must have exactly one version marked as storage version'));
  else if (versions.filter((v) => v.storage === true).length !== 1) {
    errs.push(
      fe.invalidRendered(
        'spec.versions',
        '[]apiextensions.CustomResourceDefinitionVersion{...}',
        'must have exactly one version marked as storage version',
      ),
    );
  }
  versions.forEach((v, i) => {
    if ((str(v.name) ?? '') === '') errs.push(fe.required(`spec.versions[${i}].name`));
    if (obj(obj(v.schema)?.openAPIV3Schema) === undefined) {
      errs.push(fe.required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
    }
  });
  return errs;
}

export const customResourceDefinitions: ResourceType = builtIn({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  subresources: ['status'],
  tracksGeneration: true,
  returnDeletedObject: true,
  nameValidator: nameIsDNSSubdomain,
  schema: objectSchema(),
  defaults: (o) => {
    const spec = child(o, 'spec');
    const names = child(spec, 'names');
    const kind = str(names.kind) ?? '';
    names.singular ??= kind.toLowerCase();
    names.listKind ??= `${kind}List`;
    spec.conversion ??= { strategy: 'None' };
  },
  prepareForCreate: (o) => {
    const spec = obj(o.spec) ?? {};
    const storage = versionsOf(o).find((v) => v.storage === true);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const condition = (type: string, reason: string, message: string): JsonObject => ({
      type,
      status: 'True',
      lastTransitionTime: now,
      reason,
      message,
    });
    o.status = {
      conditions: [
        condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
        condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
      ],
      acceptedNames: structuredClone(spec.names ?? {}),
      storedVersions: storage === undefined ? [] : [str(storage.name) ?? ''],
    };
  },
  prepareForUpdate: (o, old) => {
    o.status = structuredClone(old.status ?? {});
  },
  validate: validateCrd,
  validateUpdate: (o, old) => {
    const errs = [
      ...validateObjectMetaUpdate(o, old),
      ...validateCrd(o).filter((e) => !e.field.startsWith('metadata.')),
    ];
    const scope = str(obj(o.spec)?.scope);
    if (scope !== str(obj(old.spec)?.scope))
      errs.push(fe.invalid('spec.scope', scope ?? '', 'field is immutable'));
    const group = str(obj(o.spec)?.group);
    if (group !== str(obj(old.spec)?.group))
      errs.push(fe.invalid('spec.group', group ?? '', 'field is immutable'));
    return errs;
  },
});

/** The resource types a CRD serves: one per served version, validated by its structural schema. */
export function customResourceTypes(crd: JsonObject): ResourceType[] {
  const spec = obj(crd.spec) ?? {};
  const names = obj(spec.names) ?? {};
  const group = str(spec.group) ?? '';
  const kind = str(names.kind) ?? '';
  return versionsOf(crd)
    .filter((v) => v.served !== false)
    .map((v) => {
      const openApi = obj(obj(v.schema)?.openAPIV3Schema);
      const hasStatus = obj(obj(v.subresources)?.status) !== undefined;
      const hasScale = obj(obj(v.subresources)?.scale) !== undefined;
      const subresources: ('status' | 'scale')[] = [];
      if (hasStatus) subresources.push('status');
      if (hasScale) subresources.push('scale');
      const namespaced = spec.scope === 'Namespaced';
      const validate = (o: JsonObject): FieldError[] => [
        ...validateObjectMeta(o, namespaced, nameIsDNSSubdomain),
        ...validateCustomResource(o, openApi),
      ];
      const type: ResourceType = {
        group,
        version: str(v.name) ?? '',
        resource: str(names.plural) ?? '',
        kind,
        listKind: str(names.listKind) ?? `${kind}List`,
        singular: str(names.singular) ?? kind.toLowerCase(),
        namespaced,
        shortNames: (arr(names.shortNames) ?? []).filter((x): x is string => typeof x === 'string'),
        categories: (arr(names.categories) ?? []).filter((x): x is string => typeof x === 'string'),
        verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
        subresources,
        builtIn: false,
        tracksGeneration: true,
        allowUnconditionalUpdate: false,
        allowCreateOnUpdate: false,
        returnDeletedObject: true,
        nameValidator: nameIsDNSSubdomain,
        schema: {
          ...schemaNodeFrom(openApi),
          fields: { ...schemaNodeFrom(openApi).fields, metadata: objectSchema().fields?.metadata ?? {} },
        },
        defaults: (o) => {
          prune(o, openApi, true);
        },
        prepareForCreate: (o) => {
          if (hasStatus) delete o.status;
        },
        prepareForUpdate: (o, old) => {
          if (!hasStatus) return;
          if (old.status === undefined) delete o.status;
          else o.status = structuredClone(old.status);
        },
        validate,
        validateUpdate: (o, old) => [
          ...validateObjectMetaUpdate(o, old),
          ...validate(o).filter((e) => !e.field.startsWith('metadata.')),
        ],
      };
      return type;
    });
}
