import { fe, type FieldError } from '../api/field-errors.js';
import { arr, isObject, obj, str, type Json, type JsonObject } from '../core/json.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

const operators = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** ValidateLabelSelector (apimachinery/pkg/apis/meta/v1/validation). */
export function validateLabelSelector(selector: JsonObject | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (selector === undefined) return errs;
  for (const [k, v] of Object.entries(obj(selector.matchLabels) ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(fe.invalid(`${path}.matchLabels`, k, m));
    const value = typeof v === 'string' ? v : '';
    for (const m of isValidLabelValue(value)) errs.push(fe.invalid(`${path}.matchLabels`, value, m));
  }
  (arr(selector.matchExpressions) ?? []).forEach((e, i) => {
    if (!isObject(e)) return;
    const p = `${path}.matchExpressions[${i}]`;
    const op = str(e.operator) ?? '';
    const values = arr(e.values) ?? [];
    if (!operators.includes(op)) errs.push(fe.invalid(`${p}.operator`, op, 'not a valid selector operator'));
    if ((op === 'In' || op === 'NotIn') && values.length === 0) {
      errs.push(fe.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    }
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
      errs.push(
        fe.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
      );
    }
    const key = str(e.key) ?? '';
    for (const m of isQualifiedName(key)) errs.push(fe.invalid(`${p}.key`, key, m));
  });
  return errs;
}

/** How `%#v` prints a metav1.LabelSelector in messages such as "field is immutable". */
export function labelSelectorGoSyntax(selector: Json | undefined): string {
  const sel = obj(selector) ?? {};
  const labels = obj(sel.matchLabels);
  const labelText =
    labels === undefined
      ? 'map[string]string(nil)'
      : `map[string]string{${Object.keys(labels)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${JSON.stringify(labels[k])}`)
          .join(', ')}}`;
  const exprs = arr(sel.matchExpressions);
  const exprText =
    exprs === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .filter(isObject)
          .map(
            (e) =>
              `v1.LabelSelectorRequirement{Key:${JSON.stringify(str(e.key) ?? '')}, Operator:${JSON.stringify(str(e.operator) ?? '')}, Values:[]string{${(arr(e.values) ?? []).map((v) => JSON.stringify(v)).join(', ')}}}`,
          )
          .join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${labelText}, MatchExpressions:${exprText}}`;
}
