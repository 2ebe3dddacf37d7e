/**
 * Large JSON values across several string properties. A string property holds at most 64 KiB
 * (32K UTF-16 characters) and an entity at most 1 MiB, so each value gets a character budget and
 * is split into `<name>0`, `<name>1`, ... with `<name>Chunks` counting them.
 */
import { TerminalError } from '../errors/index.js';
import { chunkChars } from '../model/limits.js';

export { chunkChars, storeLimits } from '../model/limits.js';

export function writeChunks(
  entity: Record<string, unknown>,
  name: string,
  text: string,
  maxChars: number,
): void {
  if (text.length > maxChars) {
    throw new TerminalError(
      `The ${name} of this record is ${text.length} characters; at most ${maxChars} are stored.`,
      {
        reason: 'RecordTooLarge',
      },
    );
  }
  const count = Math.max(1, Math.ceil(text.length / chunkChars));
  entity[`${name}Chunks`] = count;
  for (let i = 0; i < count; i++) entity[`${name}${i}`] = text.slice(i * chunkChars, (i + 1) * chunkChars);
}

export function readChunks(entity: Readonly<Record<string, unknown>>, name: string): string {
  const count = Number(entity[`${name}Chunks`] ?? 0);
  let text = '';
  for (let i = 0; i < count; i++) {
    const part = entity[`${name}${i}`];
    if (typeof part !== 'string') {
      throw new TerminalError(`Stored ${name} is incomplete (chunk ${i} of ${count} is missing).`, {
        reason: 'CorruptRecord',
      });
    }
    text += part;
  }
  return text;
}

export function readJsonChunks<T>(entity: Readonly<Record<string, unknown>>, name: string, fallback: T): T {
  const text = readChunks(entity, name);
  if (text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new TerminalError(`Stored ${name} is not valid JSON.`, { reason: 'CorruptRecord' });
  }
}
