import { arr, isObject, obj, str, type JsonObject } from '../core/json.js';
import { labelsOf } from '../core/meta.js';
import { selectorMatches } from '../store/label-selector-match.js';
import type { AdmissionAttributes, AdmissionHost } from './attributes.js';

/** Webhooks are never called for the webhook configuration types themselves. */
const excluded = new Set(['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']);

function listOf(rule: JsonObject, field: string): string[] {
  return (arr(rule[field]) ?? []).map((v) => str(v) ?? '');
}

function resourceMatches(patterns: string[], resource: string, subresource: string): boolean {
  return patterns.some((p) => {
    if (p === '*/*') return true;
    const [res = '', sub] = p.split('/', 2);
    if (sub === undefined) return subresource === '' && (res === '*' || res === resource);
    return (res === '*' || res === resource) && (sub === '*' || sub === subresource);
  });
}

/** RuleWithOperations matching of k8s.io/apiserver/pkg/admission/plugin/webhook/predicates/rules. */
export function ruleMatches(rule: JsonObject, a: AdmissionAttributes): boolean {
  const ops = listOf(rule, 'operations');
  if (!ops.includes('*') && !ops.includes(a.operation)) return false;
  const groups = listOf(rule, 'apiGroups');
  if (!groups.includes('*') && !groups.includes(a.type.group)) return false;
  const versions = listOf(rule, 'apiVersions');
  if (!versions.includes('*') && !versions.includes(a.type.version)) return false;
  if (!resourceMatches(listOf(rule, 'resources'), a.type.resource, a.subresource)) return false;
  const scope = str(rule.scope) ?? '*';
  const namespacedRequest = a.type.namespaced;
  if (scope === 'Cluster' && namespacedRequest) return false;
  if (scope === 'Namespaced' && !namespacedRequest) return false;
  return true;
}

function namespaceSelectorMatches(hook: JsonObject, a: AdmissionAttributes, host: AdmissionHost): boolean {
  const selector = obj(hook.namespaceSelector) ?? {};
  if (a.type.group === '' && a.type.resource === 'namespaces') {
    return selectorMatches(selector, labelsOf(a.object ?? a.oldObject ?? undefined));
  }
  if (!a.type.namespaced) return true;
  return selectorMatches(selector, host.namespaceLabels(a.namespace) ?? {});
}

function objectSelectorMatches(hook: JsonObject, a: AdmissionAttributes): boolean {
  const selector = obj(hook.objectSelector) ?? {};
  const candidates = [a.object, a.oldObject].filter((o): o is JsonObject => o !== null);
  return candidates.some((o) => selectorMatches(selector, labelsOf(o)));
}

/** Whether the API server would call this webhook for the request (rules, then selectors). */
export function shouldCall(hook: JsonObject, a: AdmissionAttributes, host: AdmissionHost): boolean {
  if (excluded.has(a.type.resource) && a.type.group === 'admissionregistration.k8s.io') return false;
  const rules = (arr(hook.rules) ?? []).filter(isObject);
  if (!rules.some((r) => ruleMatches(r, a))) return false;
  return namespaceSelectorMatches(hook, a, host) && objectSelectorMatches(hook, a);
}
