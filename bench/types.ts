/** A benchmark suite: `npm run bench` runs every suite in bench/run.ts and prints its tables. */
export interface BenchTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** How to read the numbers (what was measured, at what size). */
  readonly notes?: string;
}

export interface BenchSuite {
  readonly name: string;
  run(): Promise<readonly BenchTable[]>;
}
