import { FieldPath, fe, type FieldError } from '../api/field-errors.js';
import { deepEqual, isObject, obj, str, type JsonObject } from '../core/json.js';
import {
  isDNS1123Label,
  isQualifiedName,
  isValidLabelValue,
  pathSegmentErrors,
  type NameValidator,
} from './names.js';

const totalAnnotationSizeLimit = 256 * 1024;

export function validateLabels(labels: JsonObject | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (labels === undefined) return errs;
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(fe.invalid(path.toString(), k, m));
    const value = typeof v === 'string' ? v : '';
    for (const m of isValidLabelValue(value)) errs.push(fe.invalid(path.toString(), value, m));
  }
  return errs;
}

function validateAnnotations(annotations: JsonObject | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (annotations === undefined) return errs;
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fe.invalid(path.toString(), k, m));
    size += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : '');
  }
  if (size > totalAnnotationSizeLimit) errs.push(fe.tooLong(path.toString(), totalAnnotationSizeLimit));
  return errs;
}

/** ValidateObjectMeta (apimachinery/pkg/api/validation/objectmeta.go) for create. */
export function validateObjectMeta(o: JsonObject, namespaced: boolean, nameFn: NameValidator): FieldError[] {
  const meta = obj(o.metadata) ?? {};
  const path = FieldPath.root('metadata');
  const errs: FieldError[] = [];
  const generateName = str(meta.generateName) ?? '';
  const name = str(meta.name) ?? '';
  if (generateName !== '') {
    for (const m of [...nameFn(generateName, true), ...pathSegmentErrors(generateName, true)]) {
      errs.push(fe.invalid(path.child('generateName').toString(), generateName, m));
    }
  }
  if (name === '') {
    errs.push(fe.required(path.child('name').toString(), 'name or generateName is required'));
  } else {
    for (const m of [...nameFn(name, false), ...pathSegmentErrors(name, false)]) {
      errs.push(fe.invalid(path.child('name').toString(), name, m));
    }
  }
  const namespace = str(meta.namespace) ?? '';
  if (namespaced) {
    if (namespace === '') errs.push(fe.required(path.child('namespace').toString()));
    else
      for (const m of isDNS1123Label(namespace))
        errs.push(fe.invalid(path.child('namespace').toString(), namespace, m));
  } else if (namespace !== '') {
    errs.push(fe.forbidden(path.child('namespace').toString(), 'not allowed on this type'));
  }
  errs.push(...validateLabels(obj(meta.labels), path.child('labels')));
  errs.push(...validateAnnotations(obj(meta.annotations), path.child('annotations')));
  const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
  finalizers.forEach((f, i) => {
    if (typeof f !== 'string') return;
    for (const m of isQualifiedName(f))
      errs.push(fe.invalid(path.child('finalizers').index(i).toString(), f, m));
  });
  const owners = Array.isArray(meta.ownerReferences) ? meta.ownerReferences : [];
  owners.forEach((ref, i) => {
    if (!isObject(ref)) return;
    const p = path.child('ownerReferences').index(i);
    for (const f of ['apiVersion', 'kind', 'name', 'uid']) {
      if ((str(ref[f]) ?? '') === '')
        errs.push(fe.invalid(p.child(f).toString(), ref[f] ?? '', `${f} must not be empty`));
    }
  });
  return errs;
}

/** ValidateObjectMetaUpdate: identity fields cannot change. */
export function validateObjectMetaUpdate(o: JsonObject, old: JsonObject): FieldError[] {
  const meta = obj(o.metadata) ?? {};
  const oldMeta = obj(old.metadata) ?? {};
  const errs: FieldError[] = [];
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp']) {
    if (!deepEqual(meta[f], oldMeta[f])) {
      errs.push(fe.invalid(`metadata.${f}`, meta[f] ?? '', 'field is immutable'));
    }
  }
  errs.push(...validateLabels(obj(meta.labels), FieldPath.root('metadata').child('labels')));
  errs.push(...validateAnnotations(obj(meta.annotations), FieldPath.root('metadata').child('annotations')));
  return errs;
}
