/**
 * Target resources: reads, key actions and the firewall's extra read through the typed clients
 * (target-types.ts); firewall writes through the REST pipeline, exactly as the planner rendered
 * them (ADR 0072): a `replace-list` body is the resource's own rule object with every sibling field
 * preserved, which the SDK models would re-serialize, rename or drop. Key action results are
 * returned to the caller only; they never reach an error message or a log.
 */
import { TerminalError } from '../errors/index.js';
import type { FirewallWrite } from '../targets/firewall/form.js';
import { restApiVersion, restReadTypes } from './api-versions.js';
import type { ArmRest } from './arm-rest.js';
import type { AdapterDeps } from './deps.js';
import { isArmStatus } from './failures.js';
import type { TargetPort, WriteStarted } from './ports.js';
import { readByRest, resourceOf, writeStarted } from './reply.js';
import { groupResource, nameAt } from './resource-ids.js';
import { sdkCall, sdkList, sdkRead } from './sdk-call.js';
import { targetTypes, type TargetName, type TargetType } from './target-types.js';

function unsupported(what: string, target: string): TerminalError {
  return new TerminalError(`${what} is not supported for ${target}.`, {
    reason: 'UnsupportedResourceType',
    target,
  });
}

function target(resourceId: string): { kind: TargetType; name: TargetName; type: string } {
  const id = groupResource(resourceId);
  const kind = id.types.length === 1 ? targetTypes[id.type.toLowerCase()] : undefined;
  if (kind === undefined) throw unsupported(`A ${id.type} target`, resourceId);
  return {
    kind,
    type: id.type,
    name: { subscriptionId: id.subscriptionId, resourceGroup: id.resourceGroup, name: nameAt(id, 0) },
  };
}

function versionFor(path: string): string {
  const { type } = groupResource(path);
  const version = restApiVersion(type);
  if (version === undefined) throw unsupported(`Writing ${type}`, path);
  return version;
}

async function writeChildRules(
  rest: ArmRest,
  resourceId: string,
  write: Extract<FirewallWrite, { kind: 'child-rules' }>,
): Promise<WriteStarted> {
  const apiVersion = versionFor(`${resourceId}/firewallRules/rule`);
  let accepted = false;
  // One at a time: servers serialize their own updates and answer Conflict to parallel ones. New
  // rules go first, so an egress change never leaves a moment with neither old nor new address.
  for (const rule of write.put) {
    const reply = await rest.send({
      method: 'PUT',
      path: `${resourceId}/firewallRules/${rule.name}`,
      apiVersion,
      body: rule.body,
    });
    accepted ||= writeStarted(reply).state === 'accepted';
  }
  for (const name of write.delete) {
    const reply = await rest.send({
      method: 'DELETE',
      path: `${resourceId}/firewallRules/${name}`,
      apiVersion,
      allowNotFound: true,
    });
    accepted ||= reply.status !== 404 && writeStarted(reply).state === 'accepted';
  }
  return { state: accepted ? 'accepted' : 'done' };
}

export function createTargetPort({ clients, rest }: AdapterDeps): TargetPort {
  // The rows of target-types.ts pick their package's client themselves.
  const sdk = Promise.resolve(clients);
  return {
    async read(resourceId) {
      const { type } = groupResource(resourceId);
      if (restReadTypes.has(type.toLowerCase()))
        return await readByRest(rest, resourceId, restApiVersion(type) as string);
      const { kind, name } = target(resourceId);
      const reply = await sdkRead(resourceId, sdk, (c, onResponse) => kind.read(c, name, onResponse));
      return resourceOf(reply?.body);
    },

    async action(resourceId, actionPath) {
      const { kind, name } = target(resourceId);
      const path = actionPath.replace(/^\/+/, '');
      const key = path.toLowerCase();
      const where = `${resourceId}/${path}`;
      const direct = kind.actions[key];
      if (direct !== undefined)
        return (await sdkCall(where, sdk, (c, onResponse) => direct(c, name, onResponse))).body;
      const paged = kind.pagedActions?.[key];
      if (paged !== undefined) {
        const value = await sdkList(rest, where, sdk, (c, onResponse) => paged(c, name, onResponse), {
          nextMethod: 'POST',
          notFound: 'throw',
        });
        return { value };
      }
      const rule = /^authorizationRules\/([^/]+)\/listKeys$/i.exec(path)?.[1];
      const ruleKeys = kind.ruleKeys;
      if (rule !== undefined && ruleKeys !== undefined) {
        return (await sdkCall(where, sdk, (c, onResponse) => ruleKeys(c, name, rule, onResponse))).body;
      }
      throw unsupported(`The action ${actionPath}`, resourceId);
    },

    async readPath(path) {
      const match = /^(.+?)\/(networkRuleSets\/default|firewallRules)\/?$/i.exec(path);
      const { kind, name } = target(match?.[1] ?? path);
      const extra = kind.extraRead;
      if (
        match?.[2] === undefined ||
        extra === undefined ||
        extra.path.toLowerCase() !== match[2].toLowerCase()
      ) {
        throw unsupported(`Reading ${path}`, path);
      }
      if (!extra.list)
        return (await sdkRead(path, sdk, (c, onResponse) => extra.call(c, name, onResponse)))?.body;
      try {
        return {
          value: await sdkList(rest, path, sdk, (c, onResponse) => extra.call(c, name, onResponse), {
            notFound: 'throw',
          }),
        };
      } catch (error) {
        if (isArmStatus(error, 404)) return undefined;
        throw error;
      }
    },

    async writeFirewall(resourceId, write) {
      target(resourceId);
      if (write.kind === 'child-rules') return await writeChildRules(rest, resourceId, write);
      const path = `${resourceId}${write.path}`;
      const reply = await rest.send({
        method: write.method,
        path,
        apiVersion: versionFor(path),
        body: write.body,
      });
      return writeStarted(reply);
    },
  };
}
