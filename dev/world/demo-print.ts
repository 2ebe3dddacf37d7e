/**
 * The demo's narration: acts, steps, what was seen (indented), small aligned tables. Plain text,
 * one line per call of `print`, so the test can read the same transcript the console shows.
 * Nothing printed here carries a key or a secret value: callers pass names, ids and lengths.
 */
import type { LinkerStep } from './demo-api.js';

export interface Narrator {
  act(title: string): void;
  /** Something the demo does (a request it sends). */
  step(text: string): void;
  /** Something seen, under the current step or heading. */
  detail(text: string): void;
  /** A group of facts read back from a surface. */
  heading(text: string): void;
  table(rows: readonly (readonly string[])[]): void;
  blank(): void;
}

export function narrator(print: (line: string) => void): Narrator {
  return {
    act: (title) => {
      print('');
      print(title);
    },
    step: (text) => print(`  > ${text}`),
    detail: (text) => print(`      ${text}`),
    heading: (text) => print(`  ${text}`),
    table(rows) {
      const widths: number[] = [];
      for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
      for (const row of rows) {
        const cells = row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)));
        print(`      ${cells.join('  ')}`.trimEnd());
      }
    },
    blank: () => print(''),
  };
}

/** `.../managedClusters/aks-demo/providers/...`: long ids cut to what a reader needs. */
export function shortId(id: string): string {
  const at = id.search(/\/providers\/Microsoft\.(ContainerService|Kubernetes)\//i);
  return at < 0 ? id : `...${id.slice(id.indexOf('/', at + 11))}`;
}

/** The connection's steps as rows: name, result, reason. */
export function stepRows(steps: readonly LinkerStep[]): string[][] {
  return steps.map((s) => [s.name, s.result, s.reasonCode ?? '']);
}

/** One line of progress: the state and which steps are not done yet. */
export function progressLine(state: string | undefined, steps: readonly LinkerStep[]): string {
  if (steps.length === 0) return `${state ?? '?'}: saved, waiting for the reconcile`;
  const done = steps.filter((s) => s.result === 'Succeeded' || s.result === 'Skipped').length;
  const open = steps.filter((s) => s.result !== 'Succeeded' && s.result !== 'Skipped');
  const waiting = open.map(
    (s) => `${s.name} ${s.result}${s.reasonCode === undefined ? '' : ` (${s.reasonCode})`}`,
  );
  return `${state ?? '?'}: ${done}/${steps.length} steps done${waiting.length === 0 ? '' : `; ${waiting.join(', ')}`}`;
}
