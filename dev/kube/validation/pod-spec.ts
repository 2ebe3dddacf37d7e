import { fe, type FieldError, type FieldPath } from '../api/field-errors.js';
import type { ValidationContext } from '../api/resource-type.js';
import { arr, isObject, num, str, type JsonObject } from '../core/json.js';
import { isDNS1123Label, isEnvVarName, isRelaxedEnvVarName } from './names.js';

const protocols = ['SCTP', 'TCP', 'UDP'];
const restartPolicies = ['Always', 'Never', 'OnFailure'];

function portRange(path: FieldPath, value: number, errs: FieldError[]): void {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    errs.push(fe.invalid(path.toString(), value, 'must be between 1 and 65535, inclusive'));
  }
}

function validatePortName(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

function validateContainer(
  c: JsonObject,
  path: FieldPath,
  ctx: ValidationContext,
  names: Set<string>,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name) ?? '';
  if (name === '') errs.push(fe.required(path.child('name').toString()));
  else {
    for (const m of isDNS1123Label(name)) errs.push(fe.invalid(path.child('name').toString(), name, m));
    if (names.has(name)) errs.push(fe.duplicate(path.child('name').toString(), name));
    names.add(name);
  }
  if ((str(c.image) ?? '') === '') errs.push(fe.required(path.child('image').toString()));
  const portNames = new Set<string>();
  (arr(c.ports) ?? []).forEach((p, i) => {
    if (!isObject(p)) return;
    const pp = path.child('ports').index(i);
    const containerPort = num(p.containerPort) ?? 0;
    if (containerPort === 0) errs.push(fe.required(pp.child('containerPort').toString()));
    else portRange(pp.child('containerPort'), containerPort, errs);
    const hostPort = num(p.hostPort) ?? 0;
    if (hostPort !== 0) portRange(pp.child('hostPort'), hostPort, errs);
    const protocol = str(p.protocol) ?? '';
    if (protocol === '') errs.push(fe.required(pp.child('protocol').toString()));
    else if (!protocols.includes(protocol))
      errs.push(fe.notSupported(pp.child('protocol').toString(), protocol, protocols));
    const portName = str(p.name);
    if (portName !== undefined) {
      for (const m of validatePortName(portName))
        errs.push(fe.invalid(pp.child('name').toString(), portName, m));
      if (portNames.has(portName)) errs.push(fe.duplicate(pp.child('name').toString(), portName));
      portNames.add(portName);
    }
  });
  const relaxed = ctx.minor >= 32;
  (arr(c.env) ?? []).forEach((e, i) => {
    if (!isObject(e)) return;
    const ep = path.child('env').index(i).child('name');
    const envName = str(e.name) ?? '';
    if (envName === '') errs.push(fe.required(ep.toString()));
    else
      for (const m of relaxed ? isRelaxedEnvVarName(envName) : isEnvVarName(envName))
        errs.push(fe.invalid(ep.toString(), envName, m));
  });
  return errs;
}

/** The slice of ValidatePodSpec (pkg/apis/core/validation) that the connector's objects exercise. */
export function validatePodSpec(
  spec: JsonObject | undefined,
  path: FieldPath,
  ctx: ValidationContext,
): FieldError[] {
  const errs: FieldError[] = [];
  const containers = arr(spec?.containers) ?? [];
  if (containers.length === 0) errs.push(fe.required(path.child('containers').toString()));
  const names = new Set<string>();
  containers.forEach((c, i) => {
    if (isObject(c)) errs.push(...validateContainer(c, path.child('containers').index(i), ctx, names));
  });
  (arr(spec?.initContainers) ?? []).forEach((c, i) => {
    if (isObject(c)) errs.push(...validateContainer(c, path.child('initContainers').index(i), ctx, names));
  });
  const volumeNames = new Set<string>();
  (arr(spec?.volumes) ?? []).forEach((v, i) => {
    if (!isObject(v)) return;
    const vp = path.child('volumes').index(i).child('name');
    const vname = str(v.name) ?? '';
    if (vname === '') errs.push(fe.required(vp.toString()));
    else {
      for (const m of isDNS1123Label(vname)) errs.push(fe.invalid(vp.toString(), vname, m));
      if (volumeNames.has(vname)) errs.push(fe.duplicate(vp.toString(), vname));
      volumeNames.add(vname);
    }
  });
  const restartPolicy = str(spec?.restartPolicy) ?? '';
  if (restartPolicy !== '' && !restartPolicies.includes(restartPolicy)) {
    errs.push(fe.notSupported(path.child('restartPolicy').toString(), restartPolicy, restartPolicies));
  }
  return errs;
}

export const podUpdateForbiddenMessage =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Pod spec is immutable except images, activeDeadlineSeconds, tolerations additions. */
export function podSpecMutableProjection(spec: JsonObject | undefined): JsonObject {
  const copy: JsonObject = structuredClone(spec ?? {});
  for (const key of ['containers', 'initContainers']) {
    for (const c of arr(copy[key]) ?? []) if (isObject(c)) delete c.image;
  }
  delete copy.activeDeadlineSeconds;
  delete copy.tolerations;
  delete copy.terminationGracePeriodSeconds;
  return copy;
}
