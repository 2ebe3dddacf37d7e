/**
 * Microsoft.Network/virtualNetworks and subnets. Subnets must lie inside the address space
 * (NetcfgSubnetRangeOutsideVnet) and must not overlap (NetcfgSubnetRangesOverlap); a subnet may
 * reference an NSG and a NAT gateway, which must exist. As with NSG rules, subnet child records are
 * the truth and the virtual network shows them.
 */
import { ArmError } from '../../core/arm-error.js';
import { arr, obj, str } from '../../core/json.js';
import type { JsonObject } from '../../core/store.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import type { World } from '../../engine/world.js';
import { parseIpv4OrCidr, type Ipv4Range } from '../shared/ip.js';
import {
  etag,
  networkApiVersions,
  networkDeleteLro,
  networkEnvelope,
  networkPutLro,
  networkTransient,
  resourceGuid,
  validateNetworkName,
} from './network-shared.js';

export const subnetType = 'Microsoft.Network/virtualNetworks/subnets';

function span(r: Ipv4Range): [number, number] {
  const size = 2 ** (32 - r.prefix);
  const start = Math.floor(r.address / size) * size;
  return [start, start + size - 1];
}

function cidr(value: string, what: string): Ipv4Range {
  const r = parseIpv4OrCidr(value);
  if (r === undefined || !value.includes('/')) {
    throw new ArmError(
      400,
      'InvalidAddressPrefixFormat',
      `Address prefix ${value} of resource ${what} is not formatted correctly.`,
    );
  }
  return r;
}

function subnetPrefixes(p: JsonObject): string[] {
  const one = str(p['addressPrefix']);
  return one !== undefined ? [one] : arr(p['addressPrefixes']).map(String);
}

function validateSubnets(
  world: World,
  vnetName: string,
  space: string[],
  subnets: { name: string; properties: JsonObject }[],
): void {
  const spaces = space.map((s) => span(cidr(s, vnetName)));
  const taken: { name: string; range: [number, number] }[] = [];
  for (const s of subnets) {
    const prefixes = subnetPrefixes(s.properties);
    if (prefixes.length === 0) {
      throw new ArmError(400, 'InvalidRequestFormat', `Subnet '${s.name}' must have an address prefix.`);
    }
    for (const prefix of prefixes) {
      const range = span(cidr(prefix, s.name));
      if (!spaces.some(([a, b]) => range[0] >= a && range[1] <= b)) {
        throw new ArmError(
          400,
          'NetcfgSubnetRangeOutsideVnet',
          `Subnet '${s.name}' is not valid because its IP address range is outside the IP address range of virtual network '${vnetName}'.`,
        );
      }
      const overlap = taken.find(
        (t) => t.name !== s.name && range[0] <= t.range[1] && t.range[0] <= range[1],
      );
      if (overlap !== undefined) {
        throw new ArmError(
          400,
          'NetcfgSubnetRangesOverlap',
          `Subnet '${s.name}' is not valid because its IP address range overlaps with that of an existing subnet '${overlap.name}' in virtual network '${vnetName}'.`,
        );
      }
      taken.push({ name: s.name, range });
    }
    for (const ref of ['networkSecurityGroup', 'natGateway', 'routeTable']) {
      const id = str(obj(s.properties[ref])['id']);
      if (id !== undefined && !world.store.has(id)) {
        throw new ArmError(
          400,
          'InvalidResourceReference',
          `Resource ${id} referenced by resource subnet ${s.name} was not found.`,
        );
      }
    }
  }
}

function subnetBody(p: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of [
    'addressPrefix',
    'addressPrefixes',
    'networkSecurityGroup',
    'natGateway',
    'routeTable',
    'serviceEndpoints',
    'delegations',
    'privateEndpointNetworkPolicies',
    'privateLinkServiceNetworkPolicies',
    'defaultOutboundAccess',
  ]) {
    if (p[k] !== undefined) out[k] = p[k];
  }
  return out;
}

function replaceSubnets(
  world: World,
  vnetId: string,
  subnets: { name: string; properties: JsonObject }[],
): void {
  for (const old of world.children(vnetId, subnetType)) world.store.delete(old.id);
  for (const s of subnets) {
    const id = `${vnetId}/subnets/${s.name}`;
    world.store.put({
      id,
      type: subnetType,
      body: {
        id,
        name: s.name,
        type: subnetType,
        etag: etag(),
        properties: { provisioningState: 'Succeeded', ...subnetBody(s.properties) },
      },
      secrets: {},
      internal: {},
    });
  }
}

function build(ctx: BuildContext) {
  const { input, existing, world, name } = ctx;
  const p = obj(input['properties']);
  const space = arr(obj(p['addressSpace'])['addressPrefixes']).map(String);
  if (space.length === 0) {
    throw new ArmError(
      400,
      'InvalidRequestFormat',
      `Virtual network ${name} must have at least one address prefix in addressSpace.`,
    );
  }
  const subnets = arr(p['subnets']).map((s) => ({
    name: str(obj(s)['name']) ?? '',
    properties: obj(obj(s)['properties']),
  }));
  const effective =
    ctx.method === 'PUT'
      ? subnets
      : world
          .children(ctx.id, subnetType)
          .map((s) => ({ name: str(s.body['name']) ?? '', properties: obj(s.body['properties']) }));
  validateSubnets(world, name, space, effective);
  return {
    body: {
      ...networkEnvelope(input),
      etag: etag(),
      properties: {
        resourceGuid: resourceGuid(existing),
        addressSpace: { addressPrefixes: space },
        enableDdosProtection: false,
      },
    },
    internal: ctx.method === 'PUT' ? { pendingSubnets: subnets } : {},
  };
}

export const virtualNetworks: ResourceTypeDef = {
  type: 'Microsoft.Network/virtualNetworks',
  apiVersions: networkApiVersions,
  validateName: validateNetworkName,
  transientStates: networkTransient,
  put: { lro: networkPutLro, build },
  patch: {},
  delete: { lro: networkDeleteLro },
  afterWrite: ({ resource, world }) => {
    const pending = resource.internal['pendingSubnets'] as
      { name: string; properties: JsonObject }[] | undefined;
    if (pending !== undefined) replaceSubnets(world, resource.id, pending);
    delete resource.internal['pendingSubnets'];
  },
  present: (body, world) => {
    obj(body['properties'])['subnets'] = world
      .children(str(body['id']) ?? '', subnetType)
      .map((s) => structuredClone(s.body));
    return body;
  },
};

export const subnets: ResourceTypeDef = {
  type: subnetType,
  apiVersions: networkApiVersions,
  validateName: validateNetworkName,
  transientStates: networkTransient,
  put: {
    lro: networkPutLro,
    build: ({ input, name, world, parent, id }: BuildContext) => {
      const properties = subnetBody(obj(input['properties']));
      const vnet = obj(parent?.body['properties']);
      const space = arr(obj(vnet['addressSpace'])['addressPrefixes']).map(String);
      const siblings = world
        .children(parent?.id ?? '', subnetType)
        .filter((s) => !world.sameId(s.id, id))
        .map((s) => ({ name: str(s.body['name']) ?? '', properties: obj(s.body['properties']) }));
      validateSubnets(world, str(parent?.body['name']) ?? '', space, [...siblings, { name, properties }]);
      return { body: { etag: etag(), properties } };
    },
  },
  delete: { lro: networkDeleteLro },
};
