import { fe, FieldPath, type FieldError } from './field-errors.js';
import { defaultPodTemplate } from './pod-defaults.js';
import { builtIn, type ResourceType, type ValidationContext } from './resource-type.js';
import { arr, child, deepEqual, num, obj, str, stringMap, type JsonObject } from '../core/json.js';
import { schemas } from '../ssa/schema.js';
import { labelSelectorGoSyntax, validateLabelSelector } from '../validation/label-selector.js';
import { validateObjectMeta, validateObjectMetaUpdate, validateLabels } from '../validation/meta.js';
import { nameIsDNSSubdomain } from '../validation/names.js';
import { validatePodSpec } from '../validation/pod-spec.js';
import { selectorMatches } from '../store/label-selector-match.js';

function goMap(labels: Record<string, string>): string {
  const entries = Object.keys(labels)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(labels[k])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** ValidateDeploymentSpec / ValidateReplicaSetSpec: selector, template, replicas. */
function validateWorkloadSpec(o: JsonObject, ctx: ValidationContext): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec) ?? {};
  const replicas = num(spec.replicas) ?? 0;
  if (replicas < 0) errs.push(fe.invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
  const selector = obj(spec.selector);
  if (selector === undefined) {
    errs.push(fe.required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(selector, 'spec.selector'));
    const empty =
      Object.keys(obj(selector.matchLabels) ?? {}).length === 0 &&
      (arr(selector.matchExpressions) ?? []).length === 0;
    if (empty)
      errs.push(
        fe.invalidRendered(
          'spec.selector',
          labelSelectorGoSyntax(selector),
          'empty selector is invalid for deployment',
        ),
      );
  }
  const template = obj(spec.template) ?? {};
  const templateLabels = stringMap(obj(template.metadata)?.labels);
  errs.push(
    ...validateLabels(
      obj(obj(template.metadata)?.labels),
      FieldPath.root('spec').child('template').child('metadata').child('labels'),
    ),
  );
  if (selector !== undefined && !selectorMatches(selector, templateLabels)) {
    errs.push(
      fe.invalidRendered(
        'spec.template.metadata.labels',
        goMap(templateLabels),
        '`selector` does not match template `labels`',
      ),
    );
  }
  const templateSpec = obj(template.spec);
  errs.push(...validatePodSpec(templateSpec, FieldPath.root('spec').child('template').child('spec'), ctx));
  const restartPolicy = str(templateSpec?.restartPolicy) ?? 'Always';
  if (restartPolicy !== 'Always') {
    errs.push(fe.notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  }
  return errs;
}

function validateSelectorImmutable(o: JsonObject, old: JsonObject): FieldError[] {
  const selector = obj(o.spec)?.selector;
  if (deepEqual(selector, obj(old.spec)?.selector)) return [];
  return [fe.invalidRendered('spec.selector', labelSelectorGoSyntax(selector), 'field is immutable')];
}

const workloadStatusReset = {
  prepareForCreate: (o: JsonObject) => {
    delete o.status;
  },
  prepareForUpdate: (o: JsonObject, old: JsonObject) => {
    if (old.status === undefined) delete o.status;
    else o.status = structuredClone(old.status);
  },
};

export const deployments: ResourceType = builtIn({
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  tracksGeneration: true,
  nameValidator: nameIsDNSSubdomain,
  schema: schemas.workload,
  defaults: (o) => {
    const spec = child(o, 'spec');
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    const strategy = child(spec, 'strategy');
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const rolling = child(strategy, 'rollingUpdate');
      rolling.maxUnavailable ??= '25%';
      rolling.maxSurge ??= '25%';
    }
    defaultPodTemplate(o);
  },
  ...workloadStatusReset,
  validate: (o, ctx) => [...validateObjectMeta(o, true, nameIsDNSSubdomain), ...validateWorkloadSpec(o, ctx)],
  validateUpdate: (o, old, ctx) => [
    ...validateObjectMetaUpdate(o, old),
    ...validateWorkloadSpec(o, ctx),
    ...validateSelectorImmutable(o, old),
  ],
});

export const replicaSets: ResourceType = builtIn({
  group: 'apps',
  version: 'v1',
  resource: 'replicasets',
  kind: 'ReplicaSet',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  tracksGeneration: true,
  nameValidator: nameIsDNSSubdomain,
  schema: schemas.workload,
  fieldSelectors: { 'status.replicas': (o) => String(num(obj(o.status)?.replicas) ?? 0) },
  defaults: (o) => {
    child(o, 'spec').replicas ??= 1;
    defaultPodTemplate(o);
  },
  ...workloadStatusReset,
  validate: (o, ctx) => [...validateObjectMeta(o, true, nameIsDNSSubdomain), ...validateWorkloadSpec(o, ctx)],
  validateUpdate: (o, old, ctx) => [
    ...validateObjectMetaUpdate(o, old),
    ...validateWorkloadSpec(o, ctx),
    ...validateSelectorImmutable(o, old),
  ],
});
