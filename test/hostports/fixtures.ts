/** Loads the JSON fixtures of this folder, as a fresh copy per call (tests may change them freely). */
import { readFileSync } from 'node:fs';
import type { Pod } from '../../shared/hostports/types.js';

export interface ReviewFixture {
  kind: string;
  apiVersion: string;
  request: {
    uid: string;
    name?: string;
    namespace: string;
    operation: string;
    dryRun?: boolean;
    resource: { group: string; version: string; resource: string };
    object: Pod;
    [field: string]: unknown;
  };
}

const cache = new Map<string, string>();

export type FixtureName = 'echoserver' | 'statefulset' | 'plain-pod';

export function review(name: FixtureName): ReviewFixture {
  const file = `admission-review-${name}.json`;
  let text = cache.get(file);
  if (text === undefined) {
    text = readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8');
    cache.set(file, text);
  }
  return JSON.parse(text) as ReviewFixture;
}

/** The pod of a review fixture. */
export function pod(name: FixtureName): Pod {
  return review(name).request.object;
}
