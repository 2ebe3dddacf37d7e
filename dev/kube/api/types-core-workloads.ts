import { fe, FieldPath, type FieldError } from './field-errors.js';
import { defaultPodSpec } from './pod-defaults.js';
import { builtIn, type ResourceType } from './resource-type.js';
import { arr, child, deepEqual, isObject, num, obj, str, type JsonObject } from '../core/json.js';
import { nameOf } from '../core/meta.js';
import { schemas } from '../ssa/schema.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/meta.js';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain } from '../validation/names.js';
import {
  podSpecMutableProjection,
  podUpdateForbiddenMessage,
  validatePodSpec,
} from '../validation/pod-spec.js';

export const namespaces: ResourceType = builtIn({
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status'],
  returnDeletedObject: true,
  nameValidator: nameIsDNSLabel,
  schema: schemas.generic,
  fieldSelectors: { 'status.phase': (o) => str(obj(o.status)?.phase) ?? '' },
  defaults: (o) => {
    const spec = child(o, 'spec');
    spec.finalizers ??= ['kubernetes'];
    const name = nameOf(o);
    if (name !== '') child(child(o, 'metadata'), 'labels')['kubernetes.io/metadata.name'] = name;
  },
  prepareForCreate: (o) => {
    o.status = { phase: 'Active' };
  },
  prepareForUpdate: (o, old) => {
    o.status = structuredClone(old.status ?? { phase: 'Active' });
  },
  validate: (o) => validateObjectMeta(o, false, nameIsDNSLabel),
  validateUpdate: (o, old) => validateObjectMetaUpdate(o, old),
});

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function validateServicePorts(o: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec) ?? {};
  const type = str(spec.type) ?? 'ClusterIP';
  if (!serviceTypes.includes(type)) errs.push(fe.notSupported('spec.type', type, serviceTypes));
  const ports = arr(spec.ports) ?? [];
  if (ports.length === 0 && type !== 'ExternalName' && spec.clusterIP !== 'None')
    errs.push(fe.required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObject(p)) return;
    const path = FieldPath.root('spec').child('ports').index(i);
    const name = str(p.name) ?? '';
    if (ports.length > 1 && name === '') errs.push(fe.required(path.child('name').toString()));
    if (name !== '') {
      if (names.has(name)) errs.push(fe.duplicate(path.child('name').toString(), name));
      names.add(name);
    }
    const port = num(p.port) ?? 0;
    if (port < 1 || port > 65535)
      errs.push(fe.invalid(path.child('port').toString(), port, 'must be between 1 and 65535, inclusive'));
  });
  return errs;
}

export const services: ResourceType = builtIn({
  group: '',
  version: 'v1',
  resource: 'services',
  kind: 'Service',
  namespaced: true,
  shortNames: ['svc'],
  subresources: ['status'],
  returnDeletedObject: true,
  nameValidator: nameIsDNS1035Label,
  schema: schemas.service,
  defaults: (o) => {
    const spec = child(o, 'spec');
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.type !== 'ExternalName') {
      spec.internalTrafficPolicy ??= 'Cluster';
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.ipFamilies ??= ['IPv4'];
    }
    for (const p of arr(spec.ports) ?? []) {
      if (!isObject(p)) continue;
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port ?? 0;
    }
  },
  prepareForCreate: (o, ctx) => {
    const spec = child(o, 'spec');
    if (spec.type !== 'ExternalName' && spec.clusterIP === undefined) {
      const ip = ctx.allocateServiceIP();
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    }
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      for (const p of arr(spec.ports) ?? []) if (isObject(p)) p.nodePort ??= ctx.allocateNodePort();
    }
    o.status = { loadBalancer: {} };
  },
  prepareForUpdate: (o, old) => {
    const spec = child(o, 'spec');
    const oldSpec = obj(old.spec) ?? {};
    spec.clusterIP ??= oldSpec.clusterIP ?? null;
    spec.clusterIPs ??= oldSpec.clusterIPs ?? null;
    o.status = structuredClone(old.status ?? {});
  },
  validate: (o) => [...validateObjectMeta(o, true, nameIsDNS1035Label), ...validateServicePorts(o)],
  validateUpdate: (o, old) => [...validateObjectMetaUpdate(o, old), ...validateServicePorts(o)],
});

const podFieldSelectors: Record<string, (o: JsonObject) => string> = {
  'spec.nodeName': (o) => str(obj(o.spec)?.nodeName) ?? '',
  'spec.restartPolicy': (o) => str(obj(o.spec)?.restartPolicy) ?? '',
  'spec.schedulerName': (o) => str(obj(o.spec)?.schedulerName) ?? '',
  'spec.serviceAccountName': (o) => str(obj(o.spec)?.serviceAccountName) ?? '',
  'spec.hostNetwork': (o) => String(obj(o.spec)?.hostNetwork === true),
  'status.phase': (o) => str(obj(o.status)?.phase) ?? '',
  'status.podIP': (o) => str(obj(o.status)?.podIP) ?? '',
  'status.nominatedNodeName': (o) => str(obj(o.status)?.nominatedNodeName) ?? '',
};

export const pods: ResourceType = builtIn({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['status'],
  tracksGeneration: true,
  returnDeletedObject: true,
  nameValidator: nameIsDNSSubdomain,
  schema: schemas.pod,
  fieldSelectors: podFieldSelectors,
  defaults: (o) => defaultPodSpec(child(o, 'spec')),
  prepareForCreate: (o) => {
    o.status = { phase: 'Pending', qosClass: 'BestEffort' };
  },
  prepareForUpdate: (o, old) => {
    o.status = structuredClone(old.status ?? {});
  },
  validate: (o, ctx) => [
    ...validateObjectMeta(o, true, nameIsDNSSubdomain),
    ...validatePodSpec(obj(o.spec), FieldPath.root('spec'), ctx),
  ],
  validateUpdate: (o, old, ctx) => {
    const errs = [
      ...validateObjectMetaUpdate(o, old),
      ...validatePodSpec(obj(o.spec), FieldPath.root('spec'), ctx),
    ];
    if (!deepEqual(podSpecMutableProjection(obj(o.spec)), podSpecMutableProjection(obj(old.spec)))) {
      errs.push(fe.forbidden('spec', podUpdateForbiddenMessage));
    }
    return errs;
  },
});

const involved = (field: string) => (o: JsonObject) => str(obj(o.involvedObject)?.[field]) ?? '';

export const events: ResourceType = builtIn({
  group: '',
  version: 'v1',
  resource: 'events',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  allowCreateOnUpdate: true,
  nameValidator: nameIsDNSSubdomain,
  schema: schemas.generic,
  fieldSelectors: {
    'involvedObject.kind': involved('kind'),
    'involvedObject.namespace': involved('namespace'),
    'involvedObject.name': involved('name'),
    'involvedObject.uid': involved('uid'),
    'involvedObject.apiVersion': involved('apiVersion'),
    'involvedObject.resourceVersion': involved('resourceVersion'),
    'involvedObject.fieldPath': involved('fieldPath'),
    reason: (o) => str(o.reason) ?? '',
    reportingComponent: (o) => str(o.reportingComponent) ?? '',
    source: (o) => str(obj(o.source)?.component) ?? '',
    type: (o) => str(o.type) ?? '',
  },
  validate: (o) => validateObjectMeta(o, true, nameIsDNSSubdomain),
  validateUpdate: (o, old) => validateObjectMetaUpdate(o, old),
});

export const nodes: ResourceType = builtIn({
  group: '',
  version: 'v1',
  resource: 'nodes',
  kind: 'Node',
  namespaced: false,
  shortNames: ['no'],
  subresources: ['status'],
  nameValidator: nameIsDNSSubdomain,
  schema: schemas.node,
  fieldSelectors: { 'spec.unschedulable': (o) => String(obj(o.spec)?.unschedulable === true) },
  prepareForUpdate: (o, old) => {
    o.status = structuredClone(old.status ?? {});
  },
  validate: (o) => validateObjectMeta(o, false, nameIsDNSSubdomain),
  validateUpdate: (o, old) => validateObjectMetaUpdate(o, old),
});
