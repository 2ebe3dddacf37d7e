/** The host-port cluster step and the pure planners it is made of (issue 7). */
export { hostPortsClusterStep, hostPortsStepName, type HostPortsClusterStepDeps } from './step.js';
export { readHostPortOptIn, optInTag, asgTag, sourcesTag, type HostPortOptIn } from './opt-in.js';
export { planNodePool, nodePoolBody, type NodePoolPlan } from './node-pool-plan.js';
export {
  planNsgRules,
  hostPortRuleName,
  hostPortRulePrefix,
  poolOfRule,
  type NsgPlan,
  type NsgPlanInput,
} from './nsg-plan.js';
export {
  registeredToken,
  evaluatesMatchConditions,
  publicBaseUrlProblem,
  desiredWebhook,
} from './webhook-plan.js';
export { subStepNames } from './reports.js';
export { choosePoolAsg, poolUpdateComplete, type PoolAsgChoice } from './pool-asg.js';
export { defaultRepairIntervalMs } from './release.js';
