/**
 * The `@azure/functions-core` module that the Node.js worker builds in, and that the
 * `@azure/functions` library `require`s lazily: the library hands us each registration
 * (`registerFunction(metadata, callback)`), its hooks and its programming model. Installed the way
 * the worker does it (azure-functions-nodejs-worker `src/setupCoreModule.ts`): a proxy over
 * `Module.prototype.require` that answers the one module name.
 */
import Module from 'node:module';
import type {
  FunctionCallback,
  FunctionMetadata,
  HookCallback,
  ProgrammingModel,
  RpcBindingInfo,
  RpcFunctionMetadata,
  RpcLogCategory,
  RpcLogLevel,
} from './core-types.js';

export const coreModuleName = '@azure/functions-core';

export interface RegisteredFunction {
  readonly name: string;
  readonly functionId: string;
  readonly metadata: RpcFunctionMetadata;
  readonly callback: FunctionCallback;
  readonly bindings: Readonly<Record<string, RpcBindingInfo>>;
  readonly triggerName: string;
  readonly trigger: RpcBindingInfo;
}

export type HookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation' | 'log';

class Disposable {
  static from(...items: { dispose: () => unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  #callOnDispose: (() => unknown) | undefined;
  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }
  dispose(): unknown {
    const call = this.#callOnDispose;
    this.#callOnDispose = undefined;
    return call?.();
  }
}

export class RegistrationError extends Error {
  readonly isAzureFunctionsSystemError = true;
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationError';
  }
}

export class CoreApi {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<string, HookCallback[]>();
  /** Shared by every hook (the worker's `appHookData`). */
  readonly appHookData: Record<string, unknown> = {};
  /** Shared by the app-level hooks only (appStart/appTerminate `hookData`). */
  readonly appLevelOnlyHookData: Record<string, unknown> = {};
  programmingModel: ProgrammingModel | undefined;
  hasFinishedStartup = false;

  constructor(
    private readonly systemLog: (level: RpcLogLevel, category: RpcLogCategory, message: string) => void,
    readonly hostVersion: string,
  ) {}

  /** The object the library receives from `require('@azure/functions-core')`. */
  module(): Record<string, unknown> {
    return {
      version: 'local-host',
      hostVersion: this.hostVersion,
      registerFunction: (metadata: FunctionMetadata, callback: FunctionCallback) =>
        this.registerFunction(metadata, callback),
      registerHook: (name: string, callback: HookCallback) => this.registerHook(name, callback),
      setProgrammingModel: (model: ProgrammingModel) => {
        this.programmingModel = model;
      },
      getProgrammingModel: () => this.programmingModel,
      log: (level: RpcLogLevel, category: RpcLogCategory, message: string) =>
        this.systemLog(level, category, message),
      Disposable,
    };
  }

  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.hasFinishedStartup) {
      throw new RegistrationError('A function can only be registered during app startup.');
    }
    const name = metadata.name;
    const functionId = metadata.functionId ?? name;
    const duplicate = [...this.functions.values()].find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (duplicate !== undefined) {
      throw new RegistrationError(`A function named '${name}' is already registered.`);
    }
    const triggers = Object.entries(metadata.bindings).filter(([, b]) => /trigger$/i.test(b.type ?? ''));
    const [trigger, ...others] = triggers;
    if (trigger === undefined || others.length > 0) {
      throw new RegistrationError(`Function '${name}' must have exactly one trigger binding.`);
    }
    const rpcMetadata: RpcFunctionMetadata = {
      name,
      functionId,
      bindings: metadata.bindings,
      retryOptions: metadata.retryOptions,
      // What the real worker hands to the host: one JSON string per binding, name included.
      rawBindings: Object.entries(metadata.bindings).map(([n, b]) => JSON.stringify({ ...b, name: n })),
      scriptFile: 'n/a',
    };
    this.functions.set(functionId, {
      name,
      functionId,
      metadata: rpcMetadata,
      callback,
      bindings: metadata.bindings,
      triggerName: trigger[0],
      trigger: trigger[1],
    });
    return new Disposable(() => {
      if (this.hasFinishedStartup) {
        throw new RegistrationError('A function can only be disposed during app startup.');
      }
      this.functions.delete(functionId);
    });
  }

  registerHook(name: string, callback: HookCallback): Disposable {
    const known: readonly string[] = ['appStart', 'appTerminate', 'preInvocation', 'postInvocation', 'log'];
    if (!known.includes(name)) {
      throw new RangeError(`"${name}" is not a valid hook name.`);
    }
    const list = this.hooks.get(name) ?? [];
    list.push(callback);
    this.hooks.set(name, list);
    return new Disposable(() => {
      const current = this.hooks.get(name) ?? [];
      this.hooks.set(
        name,
        current.filter((c) => c !== callback),
      );
    });
  }

  /** Runs hooks in registration order, awaiting each; a throwing hook stops the chain. */
  async executeHooks(name: HookName, context: Record<string, unknown>): Promise<void> {
    for (const callback of [...(this.hooks.get(name) ?? [])]) await callback(context);
  }
}

/** Makes `require('@azure/functions-core')` return the api's module, from any CommonJS module. */
export function installCoreModule(api: CoreApi): void {
  const coreModule = api.module();
  const prototype = Module.prototype as unknown as { require: (id: string) => unknown };
  prototype.require = new Proxy(prototype.require, {
    apply(target, thisArg, args: unknown[]) {
      if (args[0] === coreModuleName) return coreModule;
      return Reflect.apply(target, thisArg, args) as unknown;
    },
  });
}
