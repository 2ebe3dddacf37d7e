/**
 * The parts of host.json the local host honours: `extensions.http.routePrefix`,
 * `extensions.queues` (with the storage extension's defaults and limits, from
 * Microsoft.Azure.WebJobs.Extensions.Storage `QueuesOptions`), and `logging.logLevel.default`.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { RpcLogLevel } from './core-types.js';
import { parseLogLevel } from './log.js';

export class HostJsonError extends Error {
  constructor(message: string) {
    super(`host.json: ${message}`);
    this.name = 'HostJsonError';
  }
}

export type MessageEncoding = 'base64' | 'none';

export interface QueueOptions {
  readonly batchSize: number;
  readonly newBatchThreshold: number;
  readonly maxPollingIntervalMs: number;
  readonly visibilityTimeoutMs: number;
  readonly maxDequeueCount: number;
  readonly messageEncoding: MessageEncoding;
}

export interface HostJson {
  readonly routePrefix: string;
  readonly queues: QueueOptions;
  readonly logLevel: RpcLogLevel;
}

/** .NET TimeSpan text: `[d.]hh:mm[:ss[.fffffff]]`, or a whole number of days. */
export function parseTimeSpan(text: string, setting: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 86_400_000;
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/.exec(text.trim());
  if (match === null) throw new HostJsonError(`${setting}: '${text}' is not a TimeSpan like "00:00:30"`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = match;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) {
    throw new HostJsonError(`${setting}: '${text}' is out of range`);
  }
  const ms = Number(`0.${fraction || '0'}`) * 1000;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + ms;
}

function integer(value: unknown, setting: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HostJsonError(`${setting} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function duration(value: unknown, setting: string, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  if (typeof value !== 'string') throw new HostJsonError(`${setting} must be a TimeSpan string`);
  return parseTimeSpan(value, setting);
}

export function queueOptions(raw: Record<string, unknown> | undefined): QueueOptions {
  const q = raw ?? {};
  const batchSize = q['batchSize'] === undefined ? 16 : integer(q['batchSize'], 'queues.batchSize', 1, 32);
  const threshold = q['newBatchThreshold'];
  const newBatchThreshold =
    threshold === undefined || threshold === -1
      ? Math.floor(batchSize / 2) * availableParallelism()
      : integer(threshold, 'queues.newBatchThreshold', 0, Number.MAX_SAFE_INTEGER);
  const maxPollingIntervalMs = duration(q['maxPollingInterval'], 'queues.maxPollingInterval', 60_000);
  if (maxPollingIntervalMs < 100)
    throw new HostJsonError('queues.maxPollingInterval must be at least 100 ms');
  const encoding = q['messageEncoding'] ?? 'base64';
  if (typeof encoding !== 'string' || !/^(base64|none)$/i.test(encoding)) {
    throw new HostJsonError('queues.messageEncoding must be "base64" or "none"');
  }
  return {
    batchSize,
    newBatchThreshold,
    maxPollingIntervalMs,
    visibilityTimeoutMs: duration(q['visibilityTimeout'], 'queues.visibilityTimeout', 0),
    maxDequeueCount:
      q['maxDequeueCount'] === undefined
        ? 5
        : integer(q['maxDequeueCount'], 'queues.maxDequeueCount', 1, Number.MAX_SAFE_INTEGER),
    messageEncoding: encoding.toLowerCase() as MessageEncoding,
  };
}

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function parseHostJson(raw: unknown): HostJson {
  const root = object(raw) ?? {};
  const extensions = object(root['extensions']);
  const prefix = object(extensions?.['http'])?.['routePrefix'];
  if (prefix !== undefined && typeof prefix !== 'string') {
    throw new HostJsonError('extensions.http.routePrefix must be a string');
  }
  const logLevel = object(object(root['logging'])?.['logLevel'])?.['default'];
  return {
    routePrefix: (prefix ?? 'api').replace(/^\/+|\/+$/g, ''),
    queues: queueOptions(object(extensions?.['queues'])),
    logLevel: parseLogLevel(logLevel) ?? 'information',
  };
}

export async function readHostJson(appDir: string): Promise<HostJson> {
  let text: string;
  try {
    text = await readFile(join(appDir, 'host.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseHostJson({});
    throw error;
  }
  try {
    return parseHostJson(JSON.parse(text));
  } catch (error) {
    if (error instanceof HostJsonError) throw error;
    throw new HostJsonError(`not valid JSON: ${(error as Error).message}`);
  }
}
