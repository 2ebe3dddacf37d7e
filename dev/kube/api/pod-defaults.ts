import { arr, child, isObject, str, type JsonObject } from '../core/json.js';

/** SetDefaults_Container: the pull policy follows the image tag. */
function defaultContainer(c: JsonObject): void {
  const image = str(c.image) ?? '';
  if (c.imagePullPolicy === undefined) {
    const afterSlash = image.slice(image.lastIndexOf('/') + 1);
    const tagged = afterSlash.includes(':') && !afterSlash.endsWith(':latest');
    const digested = image.includes('@');
    c.imagePullPolicy = tagged || digested ? 'IfNotPresent' : 'Always';
  }
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of arr(c.ports) ?? []) if (isObject(p)) p.protocol ??= 'TCP';
}

/** SetDefaults_PodSpec plus the per-container defaults, as decoding a v1 PodSpec applies them. */
export function defaultPodSpec(spec: JsonObject): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const key of ['containers', 'initContainers']) {
    for (const c of arr(spec[key]) ?? []) if (isObject(c)) defaultContainer(c);
  }
}

export function defaultPodTemplate(workload: JsonObject): void {
  const spec = child(workload, 'spec');
  const template = child(spec, 'template');
  child(template, 'metadata');
  defaultPodSpec(child(template, 'spec'));
}
