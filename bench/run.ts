/**
 * `npm run bench`: runs every suite, prints its tables, and with `--write` records them in
 * docs/benchmarks.md with the machine and the date. Speed targets live here, never in tests.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { eventsBench } from './events.js';
import { hostPortsBench } from './hostports.js';
import { reconcileBench } from './reconcile.js';
import type { BenchSuite, BenchTable } from './types.js';

const suites: readonly BenchSuite[] = [reconcileBench, hostPortsBench, eventsBench];

function renderTable(table: BenchTable): string {
  const header = `| ${table.columns.join(' | ')} |`;
  const rule = `| ${table.columns.map(() => '---').join(' | ')} |`;
  const body = table.rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
  return [
    `### ${table.title}`,
    '',
    header,
    rule,
    body,
    table.notes === undefined ? '' : `\n${table.notes}`,
  ].join('\n');
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}, Node.js ${process.versions.node}`;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const sections: string[] = [];
  for (const suite of suites.filter((s) => only.length === 0 || only.includes(s.name))) {
    console.log(`\n## ${suite.name}\n`);
    const tables = await suite.run();
    const rendered = tables.map(renderTable).join('\n\n');
    console.log(rendered);
    sections.push(`## ${suite.name}\n\n${rendered}`);
  }
  if (process.argv.includes('--write')) {
    const doc = [
      '# Benchmarks',
      '',
      `Recorded by \`npm run bench -- --write\` on ${new Date().toISOString().slice(0, 10)}.`,
      `Machine: ${machine()}.`,
      '',
      ...sections,
      '',
    ].join('\n');
    await writeFile(new URL('../../docs/benchmarks.md', import.meta.url), doc);
    console.log('\nwrote docs/benchmarks.md');
  }
}

await main();
