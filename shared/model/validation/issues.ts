/**
 * Validation problems, collected rather than thrown so that one response reports every bad field
 * of a body at once. Each problem names its field with a JSON path in ARM's `target` style:
 * `properties.authInfo.clientId`, `properties.publicNetworkSolution.firewallRules.ipRanges[2]`,
 * `properties.configurationInfo.additionalConfigurations['my-key']`.
 */

/** Stable, documented codes of the `details[]` entries (docs/api.md lists them). */
export type IssueCode =
  | 'UnknownProperty'
  | 'UnsupportedProperty'
  | 'MissingProperty'
  | 'InvalidType'
  | 'InvalidValue'
  | 'UnsupportedValue'
  | 'ConflictingProperties'
  | 'SecretEncryptionNotConfigured'
  | 'TooLarge';

export interface Issue {
  readonly code: IssueCode;
  readonly message: string;
  readonly target: string;
}

export class Issues {
  readonly #list: Issue[] = [];

  add(code: IssueCode, target: string, message: string): void {
    this.#list.push({ code, target, message });
  }

  get list(): readonly Issue[] {
    return this.#list;
  }

  get ok(): boolean {
    return this.#list.length === 0;
  }

  /** Runs `check` and tells whether it added no problem (for checks that depend on earlier ones). */
  clean(check: () => void): boolean {
    const before = this.#list.length;
    check();
    return this.#list.length === before;
  }
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of a property under `parent` (an empty parent gives a root property). */
export function childPath(parent: string, key: string): string {
  if (identifier.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** The longest path that every target starts with, cut at a property boundary ('' when none). */
export function commonTarget(targets: readonly string[]): string {
  const first = targets[0];
  if (first === undefined) return '';
  let prefix = first;
  for (const target of targets.slice(1)) {
    while (prefix !== '' && !(target === prefix || isUnder(target, prefix))) {
      prefix = parentOf(prefix);
    }
  }
  return prefix;
}

function isUnder(target: string, prefix: string): boolean {
  return target.startsWith(`${prefix}.`) || target.startsWith(`${prefix}[`);
}

function parentOf(path: string): string {
  if (path.endsWith(']')) {
    const open = path.lastIndexOf('[');
    return open <= 0 ? '' : path.slice(0, open);
  }
  const dot = path.lastIndexOf('.');
  return dot <= 0 ? '' : path.slice(0, dot);
}

/** A value as it may appear in a message: short, and never more than the start of a long string. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
