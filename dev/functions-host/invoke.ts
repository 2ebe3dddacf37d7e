/**
 * One invocation, step for step as the Node.js worker runs it (azure-functions-nodejs-worker
 * `src/eventHandlers/InvocationHandler.ts`): the library's programming model builds the context
 * and inputs from RPC-shaped invocation data (`getArguments`), preInvocation hooks may replace the
 * inputs or the handler, the handler runs (`invokeFunction`), postInvocation hooks may replace the
 * result or the error, and `getResponse` turns the result and extraOutputs into RPC output data,
 * dropping outputs that were not declared, exactly as in Azure. The host then writes the output
 * bindings.
 */
import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import type { CoreApi, RegisteredFunction } from './core-api.js';
import type {
  CoreInvocationContext,
  FunctionCallback,
  RpcInvocationResponse,
  RpcLogCategory,
  RpcLogLevel,
  RpcTypedData,
} from './core-types.js';
import type { HostLog } from './log.js';

export interface TriggerInput {
  /** Why the function runs, as the host logs it (e.g. `This function was programmatically called`). */
  readonly reason: string;
  readonly data: RpcTypedData;
  readonly triggerMetadata?: Record<string, RpcTypedData>;
}

export interface OutputWriter {
  write(fn: RegisteredFunction, response: RpcInvocationResponse, invocationId: string): Promise<void>;
}

export interface InvocationRuntime {
  readonly core: CoreApi;
  readonly log: HostLog;
  readonly outputs: OutputWriter;
  /** Invocations still running, awaited (bounded) on shutdown. */
  readonly inFlight: Set<Promise<unknown>>;
}

export class FunctionInvocationError extends Error {
  constructor(
    readonly functionName: string,
    readonly invocationId: string,
    cause: unknown,
  ) {
    super(`Exception while executing function: Functions.${functionName}: ${describe(cause)}`, { cause });
    this.name = 'FunctionInvocationError';
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** Anything thrown counts as a failure; non-Error values are wrapped like the worker's ensureErrorType. */
function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(describe(value));
}

function readOnly<T extends object>(target: T, name: string, get: () => unknown): T {
  return Object.defineProperty(target, name, {
    enumerable: true,
    get,
    set() {
      throw new TypeError(`Cannot assign to read only property '${name}'`);
    },
  });
}

/** Log hooks (preview in the library) see every log; they may change level and message of user logs. */
function applyLogHooks(
  rt: InvocationRuntime,
  invocationContextRef: { current: unknown },
  level: RpcLogLevel,
  category: RpcLogCategory,
  message: string,
): [RpcLogLevel, string] {
  const logHooks = rt.core.hooks.get('log') ?? [];
  if (logHooks.length === 0) return [level, message];
  const hookContext: Record<string, unknown> = { level, message, category, hookData: {} };
  readOnly(hookContext, 'invocationContext', () => invocationContextRef.current);
  readOnly(hookContext, 'appHookData', () => rt.core.appHookData);
  for (const hook of logHooks) hook(hookContext);
  if (category !== 'user') return [level, message];
  return [hookContext['level'] as RpcLogLevel, String(hookContext['message'])];
}

function createCoreContext(
  rt: InvocationRuntime,
  fn: RegisteredFunction,
  invocationId: string,
  input: TriggerInput,
  invocationContextRef: { current: unknown },
): CoreInvocationContext {
  const coreCtx: CoreInvocationContext = {
    invocationId,
    request: {
      invocationId,
      functionId: fn.functionId,
      inputData: [{ name: fn.triggerName, data: input.data }],
      triggerMetadata: input.triggerMetadata ?? {},
      traceContext: { traceParent: null, traceState: null },
      retryContext: null,
    },
    metadata: fn.metadata,
    log(level: RpcLogLevel, category: RpcLogCategory, message: string) {
      const [finalLevel, finalMessage] = applyLogHooks(rt, invocationContextRef, level, category, message);
      if (category === 'system' && finalLevel === 'debug') return;
      rt.log.invocation(fn.name, invocationId, finalLevel, finalMessage);
    },
  };
  return coreCtx;
}

async function runPipeline(
  rt: InvocationRuntime,
  fn: RegisteredFunction,
  invocationId: string,
  input: TriggerInput,
): Promise<RpcInvocationResponse> {
  const model = rt.core.programmingModel;
  if (model === undefined) throw new Error('No programming model was set: is "@azure/functions" loaded?');
  const contextRef: { current: unknown } = { current: undefined };
  const coreCtx = createCoreContext(rt, fn, invocationId, input, contextRef);
  const invocationModel = await model.getInvocationModel(coreCtx);
  const { context, inputs } = await invocationModel.getArguments();
  contextRef.current = context;

  const hookData: Record<string, unknown> = {};
  const pre: Record<string, unknown> = { functionCallback: fn.callback, inputs };
  readOnly(pre, 'hookData', () => hookData);
  readOnly(pre, 'appHookData', () => rt.core.appHookData);
  readOnly(pre, 'invocationContext', () => context);
  coreCtx.state = 'preInvocationHooks';
  try {
    await rt.core.executeHooks('preInvocation', pre);
  } finally {
    coreCtx.state = undefined;
  }

  const post: Record<string, unknown> = { inputs: pre['inputs'], result: null, error: null };
  readOnly(post, 'hookData', () => hookData);
  readOnly(post, 'appHookData', () => rt.core.appHookData);
  readOnly(post, 'invocationContext', () => context);
  coreCtx.state = 'invocation';
  try {
    post['result'] = await invocationModel.invokeFunction(
      context,
      pre['inputs'] as unknown[],
      pre['functionCallback'] as FunctionCallback,
    );
  } catch (error) {
    post['error'] = error;
  } finally {
    coreCtx.state = undefined;
  }
  coreCtx.state = 'postInvocationHooks';
  try {
    await rt.core.executeHooks('postInvocation', post);
  } finally {
    coreCtx.state = undefined;
  }
  // The worker treats anything thrown (or left in `error` by a hook) as a failure.
  if (post['error'] !== null && post['error'] !== undefined) throw asError(post['error']);
  const response = await invocationModel.getResponse(context, post['result']);
  await rt.outputs.write(fn, response, invocationId);
  return response;
}

/** Invokes a function; throws FunctionInvocationError when the handler (or an output) fails. */
export async function invoke(
  rt: InvocationRuntime,
  fn: RegisteredFunction,
  input: TriggerInput,
): Promise<RpcInvocationResponse> {
  const invocationId = randomUUID();
  const started = Date.now();
  rt.log.host(
    'information',
    `Executing 'Functions.${fn.name}' (Reason='${input.reason}', Id=${invocationId})`,
  );
  const running = runPipeline(rt, fn, invocationId, input);
  rt.inFlight.add(running);
  try {
    const response = await running;
    rt.log.host(
      'information',
      `Executed 'Functions.${fn.name}' (Succeeded, Id=${invocationId}, Duration=${Date.now() - started}ms)`,
    );
    return response;
  } catch (error) {
    const failure = new FunctionInvocationError(fn.name, invocationId, error);
    rt.log.invocation(fn.name, invocationId, 'error', failure.message);
    if (error instanceof Error && error.stack !== undefined) {
      rt.log.invocation(fn.name, invocationId, 'debug', format(error.stack));
    }
    rt.log.host(
      'error',
      `Executed 'Functions.${fn.name}' (Failed, Id=${invocationId}, Duration=${Date.now() - started}ms)`,
    );
    throw failure;
  } finally {
    rt.inFlight.delete(running);
  }
}
