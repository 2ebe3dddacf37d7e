/** Access keys as services issue them: random, base64, regenerated on request. */
import { randomBytes } from 'node:crypto';

export function accessKey(bytes = 64): string {
  return randomBytes(bytes).toString('base64');
}

export function keyTimestamp(now: number): string {
  return new Date(now).toISOString();
}
