import { fe, type FieldError } from './field-errors.js';
import { builtIn, type ResourceType } from './resource-type.js';
import { arr, isObject, num, obj, str, type JsonObject } from '../core/json.js';
import { schemas } from '../ssa/schema.js';
import { validateLabelSelector } from '../validation/label-selector.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/meta.js';
import { isDNS1035Label, isDNS1123Subdomain, nameIsDNSSubdomain } from '../validation/names.js';

const operations = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const scopes = ['*', 'Cluster', 'Namespaced'];
const urlForm = '; desired format: https://host[/path]';

/** SetDefaults_MutatingWebhook / SetDefaults_ValidatingWebhook (admissionregistration/v1). */
function defaultWebhooks(o: JsonObject, mutating: boolean): void {
  for (const hook of arr(o.webhooks) ?? []) {
    if (!isObject(hook)) continue;
    hook.failurePolicy ??= 'Fail';
    hook.matchPolicy ??= 'Equivalent';
    hook.namespaceSelector ??= {};
    hook.objectSelector ??= {};
    hook.timeoutSeconds ??= 10;
    if (mutating) hook.reinvocationPolicy ??= 'Never';
    for (const rule of arr(hook.rules) ?? []) if (isObject(rule)) rule.scope ??= '*';
    const service = obj(obj(hook.clientConfig)?.service);
    if (service !== undefined) service.port ??= 443;
  }
}

/** ValidateWebhookURL (k8s.io/apiserver/pkg/util/webhook/validation.go), https forced. */
function validateUrl(path: string, raw: string): FieldError[] {
  let u: URL;
  try {
    u = new URL(raw);
  } catch (e) {
    return [
      fe.required(
        path,
        `url must be a valid URL: parse ${JSON.stringify(raw)}: ${(e as Error).message}${urlForm}`,
      ),
    ];
  }
  const errs: FieldError[] = [];
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'https')
    errs.push(fe.invalid(path, scheme, `'https' is the only allowed URL scheme${urlForm}`));
  if (u.host === '') errs.push(fe.invalid(path, u.host, `host must be specified${urlForm}`));
  if (u.username !== '' || u.password !== '') {
    const user = u.password === '' ? u.username : `${u.username}:${u.password}`;
    errs.push(fe.invalid(path, user, 'user information is not permitted in the URL'));
  }
  const fragment = raw.includes('#') ? raw.slice(raw.indexOf('#') + 1) : '';
  if (fragment !== '') errs.push(fe.invalid(path, fragment, 'fragments are not permitted in the URL'));
  const query = u.search.replace(/^\?/, '');
  if (query !== '') errs.push(fe.invalid(path, query, 'query parameters are not permitted in the URL'));
  return errs;
}

function validateRule(rule: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ops = (arr(rule.operations) ?? []).map((x) => str(x) ?? '');
  if (ops.length === 0) errs.push(fe.required(`${path}.operations`));
  if (ops.length > 1 && ops.includes('*')) {
    errs.push(fe.invalid(`${path}.operations`, ops, "if '*' is present, must not specify other operations"));
  }
  ops.forEach((op, i) => {
    if (!operations.includes(op)) errs.push(fe.notSupported(`${path}.operations[${i}]`, op, operations));
  });
  for (const f of ['apiGroups', 'apiVersions', 'resources']) {
    const values = (arr(rule[f]) ?? []).map((x) => str(x) ?? '');
    if (values.length === 0) errs.push(fe.required(`${path}.${f}`));
  }
  const scope = str(rule.scope);
  if (scope !== undefined && !scopes.includes(scope))
    errs.push(fe.notSupported(`${path}.scope`, scope, scopes));
  return errs;
}

function validateFullyQualified(path: string, name: string): FieldError[] {
  if (name === '') return [fe.required(path)];
  const sub = isDNS1123Subdomain(name);
  if (sub.length > 0) return [fe.invalid(path, name, sub.join(','))];
  if (name.split('.').length < 3)
    return [fe.invalid(path, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

function validateWebhook(hook: JsonObject, path: string, mutating: boolean): FieldError[] {
  const errs = validateFullyQualified(`${path}.name`, str(hook.name) ?? '');
  (arr(hook.rules) ?? []).forEach((r, i) => {
    if (isObject(r)) errs.push(...validateRule(r, `${path}.rules[${i}]`));
  });
  const failure = str(hook.failurePolicy);
  if (failure !== undefined && !['Fail', 'Ignore'].includes(failure)) {
    errs.push(fe.notSupported(`${path}.failurePolicy`, failure, ['Fail', 'Ignore']));
  }
  const match = str(hook.matchPolicy);
  if (match !== undefined && !['Equivalent', 'Exact'].includes(match)) {
    errs.push(fe.notSupported(`${path}.matchPolicy`, match, ['Equivalent', 'Exact']));
  }
  const sideEffects = str(hook.sideEffects);
  if (sideEffects === undefined)
    errs.push(fe.required(`${path}.sideEffects`, 'must specify one of None, NoneOnDryRun'));
  else if (!['None', 'NoneOnDryRun'].includes(sideEffects)) {
    errs.push(fe.notSupported(`${path}.sideEffects`, sideEffects, ['None', 'NoneOnDryRun']));
  }
  const timeout = num(hook.timeoutSeconds);
  if (timeout !== undefined && (timeout > 30 || timeout < 1)) {
    errs.push(
      fe.invalid(`${path}.timeoutSeconds`, timeout, 'the timeout value must be between 1 and 30 seconds'),
    );
  }
  errs.push(...validateLabelSelector(obj(hook.namespaceSelector), `${path}.namespaceSelector`));
  errs.push(...validateLabelSelector(obj(hook.objectSelector), `${path}.objectSelector`));
  const reinvocation = str(hook.reinvocationPolicy);
  if (mutating && reinvocation !== undefined && !['IfNeeded', 'Never'].includes(reinvocation)) {
    errs.push(fe.notSupported(`${path}.reinvocationPolicy`, reinvocation, ['IfNeeded', 'Never']));
  }
  const cc = obj(hook.clientConfig) ?? {};
  const url = str(cc.url);
  if ((url === undefined) === (cc.service === undefined)) {
    errs.push(fe.required(`${path}.clientConfig`, 'exactly one of url or service is required'));
  } else if (url !== undefined) {
    errs.push(...validateUrl(`${path}.clientConfig.url`, url));
  }
  return errs;
}

function validateReviewVersions(versions: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (versions.length === 0) return [fe.required(path, 'must specify one of v1, v1beta1')];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v)) {
      errs.push(fe.invalid(`${path}[${i}]`, v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const m of isDNS1035Label(v)) errs.push(fe.invalid(`${path}[${i}]`, v, m));
  });
  if (!versions.some((v) => v === 'v1' || v === 'v1beta1')) {
    errs.push(fe.invalid(path, versions, 'must include at least one of v1, v1beta1'));
  }
  return errs;
}

function validateConfiguration(o: JsonObject, mutating: boolean): FieldError[] {
  const errs = validateObjectMeta(o, false, nameIsDNSSubdomain);
  const names = new Set<string>();
  (arr(o.webhooks) ?? []).forEach((hook, i) => {
    if (!isObject(hook)) return;
    const path = `webhooks[${i}]`;
    errs.push(...validateWebhook(hook, path, mutating));
    const versions = (arr(hook.admissionReviewVersions) ?? []).map((v) => str(v) ?? '');
    errs.push(...validateReviewVersions(versions, `${path}.admissionReviewVersions`));
    const name = str(hook.name) ?? '';
    if (name !== '') {
      if (names.has(name)) errs.push(fe.duplicate(`${path}.name`, name));
      names.add(name);
    }
  });
  return errs;
}

function webhookConfigurationType(kind: string, resource: string, mutating: boolean): ResourceType {
  return builtIn({
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource,
    kind,
    namespaced: false,
    tracksGeneration: true,
    nameValidator: nameIsDNSSubdomain,
    schema: schemas.webhookConfiguration,
    defaults: (o) => defaultWebhooks(o, mutating),
    validate: (o) => validateConfiguration(o, mutating),
    validateUpdate: (o, old) => [
      ...validateObjectMetaUpdate(o, old),
      ...validateConfiguration(o, mutating).filter((e) => !e.field.startsWith('metadata.')),
    ],
  });
}

export const mutatingWebhookConfigurations = webhookConfigurationType(
  'MutatingWebhookConfiguration',
  'mutatingwebhookconfigurations',
  true,
);
export const validatingWebhookConfigurations = webhookConfigurationType(
  'ValidatingWebhookConfiguration',
  'validatingwebhookconfigurations',
  false,
);
