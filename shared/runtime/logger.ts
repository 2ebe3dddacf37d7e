import { redact } from '../util/redact.js';

/** The narrow logging port used by the core. Fields are redacted by key before they are written. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Anything with the InvocationContext log methods. */
export interface LogSink {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export function createLogger(sink: LogSink, base: Record<string, unknown> = {}): Logger {
  const write = (level: keyof LogSink) => (message: string, fields?: Record<string, unknown>) => {
    const merged = { ...base, ...fields };
    if (Object.keys(merged).length === 0) sink[level](message);
    else sink[level](message, JSON.stringify(redact(merged)));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger that records entries, for tests and for collecting a reconcile's story. */
export function createMemoryLogger(): Logger & {
  entries: { level: string; message: string; fields: unknown }[];
} {
  const entries: { level: string; message: string; fields: unknown }[] = [];
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    entries.push({ level, message, fields: fields === undefined ? undefined : redact(fields) });
  };
  return { entries, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
