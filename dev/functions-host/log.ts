/**
 * Host log lines, like Core Tools prints them: a timestamp, and for invocation logs the function
 * name and a short invocation id, so concurrent invocations can be told apart.
 */
import type { RpcLogLevel } from './core-types.js';

const order: Record<RpcLogLevel, number> = {
  trace: 0,
  debug: 1,
  information: 2,
  warning: 3,
  error: 4,
  critical: 5,
  none: 6,
};

/** host.json `logging.logLevel` names (Trace, Debug, Information, Warning, Error, Critical, None). */
export function parseLogLevel(name: unknown): RpcLogLevel | undefined {
  if (typeof name !== 'string') return undefined;
  const lower = name.toLowerCase();
  return lower in order ? (lower as RpcLogLevel) : undefined;
}

export interface HostLog {
  readonly minLevel: RpcLogLevel;
  enabled(level: RpcLogLevel): boolean;
  host(level: RpcLogLevel, message: string): void;
  invocation(functionName: string, invocationId: string, level: RpcLogLevel, message: string): void;
}

export function shortId(invocationId: string): string {
  return invocationId.slice(0, 8);
}

export function createHostLog(
  minLevel: RpcLogLevel,
  write: (line: string, isError: boolean) => void,
): HostLog {
  const enabled = (level: RpcLogLevel) => level !== 'none' && order[level] >= order[minLevel];
  const emit = (level: RpcLogLevel, prefix: string, message: string) => {
    if (!enabled(level)) return;
    const tag = level === 'information' ? '' : `${level.toUpperCase()}: `;
    const lines = message.split('\n');
    write(
      `[${new Date().toISOString()}] ${prefix}${tag}${lines.join(`\n    `)}`,
      order[level] >= order.warning,
    );
  };
  return {
    minLevel,
    enabled,
    host: (level, message) => emit(level, '', message),
    invocation: (functionName, invocationId, level, message) =>
      emit(level, `[${functionName}] [${shortId(invocationId)}] `, message),
  };
}
