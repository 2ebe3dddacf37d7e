/**
 * Output bindings the host writes after an invocation: storage queue outputs (`output.storageQueue`,
 * as the return value or a declared extraOutput), one message per array element, encoded with
 * host.json `messageEncoding`, the queue created on first use. HTTP outputs are answered by the
 * HTTP server. Any other output type the local host does not implement fails the invocation when a
 * value was set, rather than dropping it silently.
 */
import type { AppSettings } from './app-settings.js';
import { resolveSettingTokens } from './app-settings.js';
import type { RegisteredFunction } from './core-api.js';
import type { RpcBindingInfo, RpcInvocationResponse, RpcTypedData } from './core-types.js';
import type { MessageEncoding } from './host-json.js';
import type { OutputWriter } from './invoke.js';
import { type QueueConnections, validateQueueName } from './queue-connection.js';

/** Message texts for an output value, as the host splits collections into one message each. */
export function queueMessagesFrom(data: RpcTypedData): (string | Buffer)[] {
  if (data.string !== undefined && data.string !== null) return [data.string];
  if (data.bytes !== undefined && data.bytes !== null) return [Buffer.from(data.bytes)];
  if (data.int !== undefined && data.int !== null) return [String(data.int)];
  if (data.double !== undefined && data.double !== null) return [String(data.double)];
  if (data.json !== undefined && data.json !== null) {
    const value: unknown = JSON.parse(data.json);
    if (!Array.isArray(value)) return [data.json];
    return value.map((item: unknown) => (typeof item === 'string' ? item : JSON.stringify(item)));
  }
  if (data.collectionString?.string) return data.collectionString.string;
  return [];
}

export function encodeMessage(message: string | Buffer, encoding: MessageEncoding): string {
  const bytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  return encoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf8');
}

export interface OutputWriterOptions {
  readonly settings: AppSettings;
  readonly queues: QueueConnections;
  readonly encoding: MessageEncoding;
  /** Wakes a local queue trigger polling that queue (the extension's shared queue watcher). */
  readonly notify: (queueName: string) => void;
}

export function queueNameOf(binding: RpcBindingInfo, settings: AppSettings, what: string): string {
  const raw = binding['queueName'];
  if (typeof raw !== 'string') throw new Error(`${what} has no queueName`);
  if (raw.includes('{'))
    throw new Error(`${what}: binding expressions like '${raw}' are not supported locally`);
  return validateQueueName(resolveSettingTokens(raw, settings, what).toLowerCase(), what);
}

export function createOutputWriter(options: OutputWriterOptions): OutputWriter {
  async function writeQueue(
    fn: RegisteredFunction,
    name: string,
    binding: RpcBindingInfo,
    data: RpcTypedData,
  ) {
    const what = `Function '${fn.name}' output '${name}'`;
    const queueName = queueNameOf(binding, options.settings, what);
    const client = options.queues.queue(binding['connection'], queueName);
    const messages = queueMessagesFrom(data);
    if (messages.length === 0) return;
    await options.queues.ensureExists(client);
    for (const message of messages) await client.sendMessage(encodeMessage(message, options.encoding));
    options.notify(queueName);
  }

  return {
    async write(fn: RegisteredFunction, response: RpcInvocationResponse) {
      const outputs = [...(response.outputData ?? [])];
      if (fn.bindings['$return'] !== undefined && response.returnValue) {
        outputs.push({ name: '$return', data: response.returnValue });
      }
      for (const { name, data } of outputs) {
        const binding = name === null || name === undefined ? undefined : fn.bindings[name];
        if (binding === undefined || data === null || data === undefined) continue;
        const type = (binding.type ?? '').toLowerCase();
        if (type === 'http') continue;
        if (type === 'queue') await writeQueue(fn, name as string, binding, data);
        else throw new Error(`Output binding type '${binding.type}' is not supported by the local host`);
      }
    },
  };
}
