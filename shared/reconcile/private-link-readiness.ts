/**
 * The network readiness of an Arc private link cluster (SPEC §5, research/k8s-side.md §5.4): the
 * TCP 443 flows its network needs and the NSG rules that open them. The four outbound rules are
 * SPEC §5's (names, priorities 150-153, source VirtualNetwork, any source port, destination the
 * service tag, TCP 443, Allow). Front Door is needed inbound too; an inbound rule sees Front Door as
 * the source, so its rule is SPEC's Front Door rule turned around, under a name of its own (rule
 * names are unique in an NSG, whatever the direction). Pure.
 */
import { tryParseArmId } from '../util/arm-id.js';
import { evaluateFlow, nsgRules, type NsgRule, type TagFlow } from './private-link-nsg.js';

export interface RequiredFlow extends TagFlow {
  /** The rule that opens the flow, if the NSG blocks it. */
  readonly ruleName: string;
  readonly priority: number;
}

const https = 443;

export const requiredFlows: readonly RequiredFlow[] = [
  {
    direction: 'Outbound',
    tag: 'AzureActiveDirectory',
    port: https,
    ruleName: 'AllowAADOutboundAccess',
    priority: 150,
  },
  {
    direction: 'Outbound',
    tag: 'AzureResourceManager',
    port: https,
    ruleName: 'AllowAzOutboundAccess',
    priority: 151,
  },
  {
    direction: 'Outbound',
    tag: 'AzureFrontDoor.FirstParty',
    port: https,
    ruleName: 'AllowAzureFrontDoorFirstPartyAccess',
    priority: 152,
  },
  {
    direction: 'Outbound',
    tag: 'MicrosoftContainerRegistry',
    port: https,
    ruleName: 'AllowMCROutboundAccess',
    priority: 153,
  },
  {
    direction: 'Inbound',
    tag: 'AzureFrontDoor.FirstParty',
    port: https,
    ruleName: 'AllowAzureFrontDoorFirstPartyInboundAccess',
    priority: 152,
  },
];

export interface BlockedFlow {
  readonly flow: RequiredFlow;
  /** The deny rule with the highest precedence that matches the flow. */
  readonly by: NsgRule | undefined;
}

/** The required flows the NSG does not allow, in `requiredFlows` order. */
export function blockedFlows(nsg: unknown): BlockedFlow[] {
  const rules = nsgRules(nsg);
  return requiredFlows.flatMap((flow) => {
    const verdict = evaluateFlow(rules, flow);
    return verdict.allowed ? [] : [{ flow, by: verdict.rule }];
  });
}

function flowText(flow: TagFlow): string {
  return flow.direction === 'Outbound'
    ? `outbound TCP ${flow.port} to ${flow.tag}`
    : `inbound TCP ${flow.port} from ${flow.tag}`;
}

export function blockedText(blocked: BlockedFlow): string {
  const { by } = blocked;
  return by === undefined
    ? `${flowText(blocked.flow)} is allowed by no rule`
    : `${flowText(blocked.flow)} is denied by ${by.name} (priority ${by.priority})`;
}

/** The `az` command that adds the rule opening a blocked flow, ahead of the rule that blocks it. */
export function openingRuleCommand(nsgId: string, blocked: BlockedFlow): string {
  const { flow } = blocked;
  const id = tryParseArmId(nsgId);
  const [source, destination] =
    flow.direction === 'Outbound' ? ['VirtualNetwork', flow.tag] : [flow.tag, 'VirtualNetwork'];
  const blocking = blocked.by?.priority;
  const priority =
    blocking === undefined || flow.priority < blocking
      ? String(flow.priority)
      : `<a free number below ${blocking}>`;
  return [
    `az network nsg rule create -g ${id?.resourceGroup ?? '<resource group>'}`,
    `--nsg-name ${id?.names[0] ?? '<nsg>'} -n ${flow.ruleName} --priority ${priority}`,
    `--direction ${flow.direction} --access Allow --protocol Tcp`,
    `--source-address-prefixes ${source} --source-port-ranges '*'`,
    `--destination-address-prefixes ${destination} --destination-port-ranges ${flow.port}`,
  ].join(' ');
}
