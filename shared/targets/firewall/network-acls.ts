/**
 * `properties.networkAcls.ipRules[].value` (Storage, Key Vault, Cognitive Services): a list of bare
 * IPv4 addresses or CIDR blocks inside the resource body, with `defaultAction` deciding whether the
 * list matters at all. The rules have no name or description, so ownership lives in our record
 * (ADR 0052). Written by PATCHing the whole `networkAcls` object back with the new list, because
 * the services replace `networkAcls` as a unit.
 */
import {
  cidrPrefix,
  formatIpv4,
  parseIpv4Cidr,
  rangeAddresses,
  rangeKey,
  type IpRange,
} from '../../util/ip.js';
import { list, record, sameText, str } from '../arm-body.js';
import type {
  ExistingRule,
  FirewallDecision,
  FirewallForm,
  FirewallObservation,
  FirewallState,
  FirewallWrite,
  PublicAccess,
} from './form.js';

interface NetworkAclsOptions {
  readonly name: string;
  readonly service: string;
  readonly maxRules: number | undefined;
  readonly limitSource: string;
  /** Storage rejects /31 and /32: single addresses are written bare and a /31 as two addresses. */
  readonly noSmallPrefixes: boolean;
  /** Storage rules carry `action: 'Allow'` (the only value the enum has). */
  readonly writeAction: boolean;
  readonly sameRegionIneffective: boolean;
}

/** `publicNetworkAccess` values that mean "no public path", shared by most data services. */
export function publicAccessFromSetting(
  service: string,
  setting: string | undefined,
): Extract<PublicAccess, { state: 'disabled' }> | undefined {
  if (sameText(setting, 'Disabled')) {
    return {
      state: 'disabled',
      reason: 'PublicNetworkAccessDisabled',
      message: `${service} has public network access disabled; the connector never opens it. Reach it through a private endpoint, or enable public access from selected networks.`,
    };
  }
  if (sameText(setting, 'SecuredByPerimeter')) {
    return {
      state: 'disabled',
      reason: 'SecuredByPerimeter',
      message: `${service} is governed by a network security perimeter; add the cluster's egress addresses to the perimeter's access rules instead.`,
    };
  }
  return undefined;
}

/** The single-address form most services accept: `1.2.3.4` rather than `1.2.3.4/32`. */
export function bareOrCidr(range: IpRange): string {
  return range.start === range.end ? formatIpv4(range.start) : rangeKey(range);
}

function readRules(values: readonly unknown[], field: string): ExistingRule[] {
  return values.flatMap((entry): ExistingRule[] => {
    const raw = str(entry, field);
    if (raw === undefined) return [];
    const parsed = parseIpv4Cidr(raw);
    return [{ key: raw, display: raw, range: parsed.ok ? parsed.range : undefined }];
  });
}

export function networkAclsForm(options: NetworkAclsOptions): FirewallForm {
  const readState = (observed: FirewallObservation): FirewallState => {
    const acls = record(observed.resource, 'properties', 'networkAcls');
    const rules = readRules(list(acls, 'ipRules'), 'value');
    const disabled = publicAccessFromSetting(
      options.service,
      str(observed.resource, 'properties', 'publicNetworkAccess'),
    );
    const defaultAction = str(acls, 'defaultAction');
    const access: PublicAccess =
      disabled ??
      (acls === undefined || !sameText(defaultAction, 'Deny')
        ? {
            state: 'open',
            message: `${options.service} admits all networks (networkAcls.defaultAction is ${defaultAction ?? 'unset'}): no rule is needed.`,
          }
        : { state: 'restricted' });
    return {
      access,
      rules,
      otherRestrictions: list(acls, 'virtualNetworkRules').length > 0,
      azureServicesAllowed: (str(acls, 'bypass') ?? '').includes('AzureServices'),
    };
  };

  const render = (observed: FirewallObservation, decision: FirewallDecision): FirewallWrite | undefined => {
    if (decision.add.length === 0 && decision.remove.length === 0) return undefined;
    const acls = record(observed.resource, 'properties', 'networkAcls') ?? {};
    const removed = new Set(decision.remove.map((r) => r.key));
    const kept = list(acls, 'ipRules').filter((entry) => !removed.has(str(entry, 'value') ?? ''));
    const added = decision.add.map((range) =>
      options.writeAction ? { value: bareOrCidr(range), action: 'Allow' } : { value: bareOrCidr(range) },
    );
    return {
      kind: 'replace-list',
      method: 'PATCH',
      path: '',
      body: { properties: { networkAcls: { ...acls, ipRules: [...kept, ...added] } } },
    };
  };

  return {
    name: options.name,
    shape: `properties.networkAcls.ipRules[].value (bare IPv4 or CIDR) on the ${options.service} resource`,
    maxRules: options.maxRules,
    limitSource: options.limitSource,
    emptyMeansOpen: false,
    sameRegionIneffective: options.sameRegionIneffective,
    supportsAzureServices: false,
    extraRead: undefined,
    writable: (range) =>
      options.noSmallPrefixes && cidrPrefix(range) === 31 ? rangeAddresses(range) : [range],
    readState,
    render,
  };
}
