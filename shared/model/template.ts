/**
 * Connection templates (our addition): a selector over clusters and the connection to create on
 * every cluster it matches. The connection part is validated exactly like a linker body; its
 * target id is literal (one shared target for all matching clusters, ADR 0033).
 */
import type { LinkerSpecOf, SecretInput } from './linker-spec.js';
import type { SealedSecret } from './secret-cipher.js';
import { linkerNameHint, linkerNamePattern } from './linker-names.js';
import { linkerPropertiesView, formatEtag, type LinkerPropertiesView } from './linker-view.js';
import { clusterKinds } from './source.js';
import type { TemplateSelector } from './template-match.js';
import { guidPattern } from './roles.js';
import { validateLinkerProperties, armReadOnlyProperties } from './validate-linker.js';
import { childPath, type Issues } from './validation/issues.js';
import {
  readObject,
  readString,
  readStringList,
  readStringMap,
  rejectUnknown,
} from './validation/readers.js';

export interface TemplateSpecOf<S> {
  readonly selector: TemplateSelector;
  readonly connection: { readonly name: string; readonly properties: LinkerSpecOf<S> };
}

export type TemplateDraft = TemplateSpecOf<SecretInput>;
export type TemplateSpec = TemplateSpecOf<SealedSecret>;

export interface TemplateRecord {
  readonly name: string;
  readonly spec: TemplateSpec;
  readonly revision: string;
  readonly createdAt: string;
  readonly lastModifiedAt: string;
}

export interface StoredTemplate extends TemplateRecord {
  readonly storeEtag: string;
}

export const templateNamePattern = linkerNamePattern;
export const templateNameHint = linkerNameHint;
export const templateResourceType = 'connectorfunctions/connectiontemplates';
export const connectionPropertiesPath = 'properties.connection.properties';

const resourceGroupGlob = {
  pattern: /^[-\w.()*?]{1,90}$/u,
  patternHint:
    "a resource group name or a glob such as 'rg-*' (letters, digits, -_.() and the wildcards * and ?)",
};

export function validateTemplateBody(body: unknown, issues: Issues): TemplateDraft | undefined {
  const obj = readObject(body, '', issues);
  if (obj === undefined) return undefined;
  rejectUnknown(
    obj,
    '',
    { known: ['properties'], readOnly: armReadOnlyProperties, what: 'a connection template' },
    issues,
  );
  const props = readObject(obj['properties'], 'properties', issues, true);
  if (props === undefined) return undefined;
  rejectUnknown(
    props,
    'properties',
    { known: ['selector', 'connection'], what: 'template properties' },
    issues,
  );
  const selector = validateSelector(props['selector'], 'properties.selector', issues);
  const connectionPath = 'properties.connection';
  const connection = readObject(props['connection'], connectionPath, issues, true);
  if (connection === undefined) return undefined;
  rejectUnknown(
    connection,
    connectionPath,
    { known: ['name', 'properties'], what: 'a template connection' },
    issues,
  );
  const name = readString(connection, 'name', connectionPath, issues, {
    required: true,
    pattern: linkerNamePattern,
    patternHint: linkerNameHint,
  });
  const properties = validateLinkerProperties(connection['properties'], connectionPropertiesPath, issues);
  if (selector === undefined || name === undefined || properties === undefined) return undefined;
  return { selector, connection: { name, properties } };
}

function validateSelector(value: unknown, path: string, issues: Issues): TemplateSelector | undefined {
  const obj = readObject(value, path, issues, true);
  if (obj === undefined) return undefined;
  rejectUnknown(
    obj,
    path,
    { known: ['subscriptions', 'resourceGroups', 'tags', 'clusterKinds'], what: 'a selector' },
    issues,
  );
  const subscriptions = readStringList(obj, 'subscriptions', path, issues, {
    maxItems: 100,
    item: { pattern: guidPattern, patternHint: 'a subscription id (GUID)' },
  })?.map((s) => s.toLowerCase());
  const resourceGroups = readStringList(obj, 'resourceGroups', path, issues, {
    maxItems: 100,
    item: resourceGroupGlob,
  });
  const tags = readStringMap(obj, 'tags', path, issues, {
    maxEntries: 50,
    key: { maxLength: 512, pattern: /^[^<>%&\\?/]+$/, patternHint: 'a tag name (no < > % & \\ ? /)' },
    value: { maxLength: 256, allowEmpty: true },
  });
  const kinds = readStringList(obj, 'clusterKinds', path, issues, { maxItems: 2 });
  const kindsPath = childPath(path, 'clusterKinds');
  const badKind = kinds?.find((k) => !(clusterKinds as readonly string[]).includes(k));
  if (badKind !== undefined) {
    issues.add(
      'InvalidValue',
      kindsPath,
      `'${kindsPath}' may hold ${clusterKinds.join(', ')}; got '${badKind.slice(0, 60)}'.`,
    );
  }
  const given = {
    subscriptions,
    resourceGroups,
    tags: tags === undefined ? undefined : Object.keys(tags),
    clusterKinds: kinds,
  };
  for (const [key, list] of Object.entries(given)) {
    if (list !== undefined && list.length === 0) {
      const target = childPath(path, key);
      issues.add('InvalidValue', target, `'${target}' is empty; give at least one value or leave it out.`);
    }
  }
  if (Object.values(given).every((list) => list === undefined || list.length === 0)) {
    issues.add(
      'InvalidValue',
      path,
      `'${path}' is too broad: it would match every cluster. Give at least one of subscriptions, resourceGroups, tags, clusterKinds.`,
    );
    return undefined;
  }
  return {
    ...(subscriptions === undefined ? {} : { subscriptions }),
    ...(resourceGroups === undefined ? {} : { resourceGroups }),
    ...(tags === undefined ? {} : { tags }),
    ...(kinds === undefined ? {} : { clusterKinds: kinds as TemplateSelector['clusterKinds'] }),
  };
}

export interface TemplateView {
  readonly id: string;
  readonly name: string;
  readonly type: typeof templateResourceType;
  readonly etag: string;
  readonly systemData: { readonly createdAt: string; readonly lastModifiedAt: string };
  readonly properties: {
    readonly selector: TemplateSelector;
    readonly connection: { readonly name: string; readonly properties: LinkerPropertiesView };
  };
}

export function templateView(record: TemplateRecord): TemplateView {
  return {
    id: `/connectionTemplates/${record.name}`,
    name: record.name,
    type: templateResourceType,
    etag: formatEtag(record.revision),
    systemData: { createdAt: record.createdAt, lastModifiedAt: record.lastModifiedAt },
    properties: {
      selector: record.spec.selector,
      connection: {
        name: record.spec.connection.name,
        properties: linkerPropertiesView(record.spec.connection.properties),
      },
    },
  };
}
