import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeAppSettings, readLocalSettingsValues } from '../../dev/functions-host/app-settings.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-settings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('app settings of the local host', () => {
  it('reads Values from local.settings.json in Core Tools format', async () => {
    const app = join(dir, 'with-settings');
    await mkdir(app);
    const settings = {
      IsEncrypted: false,
      Values: { FUNCTIONS_WORKER_RUNTIME: 'node', Retries: 3, Verbose: true },
    };
    await writeFile(join(app, 'local.settings.json'), JSON.stringify(settings));
    expect(await readLocalSettingsValues(app)).toEqual({
      FUNCTIONS_WORKER_RUNTIME: 'node',
      Retries: '3',
      Verbose: 'true',
    });
  });

  it('has no values when there is no local.settings.json', async () => {
    expect(await readLocalSettingsValues(join(dir, 'nothing-here'))).toEqual({});
  });

  it('reports a local.settings.json that is not JSON', async () => {
    const app = join(dir, 'broken');
    await mkdir(app);
    await writeFile(join(app, 'local.settings.json'), '{ "Values": ');
    await expect(readLocalSettingsValues(app)).rejects.toThrow(/local.settings.json is not valid JSON/);
  });

  it.each([
    ['local.settings.json alone', { A: 'local' }, {}, {}, 'local'],
    [
      'the environment over local.settings.json (as Core Tools)',
      { A: 'local' },
      { A: 'environment' },
      {},
      'environment',
    ],
    [
      'the settings given to the host over both',
      { A: 'local' },
      { A: 'environment' },
      { A: 'given' },
      'given',
    ],
    ['local.settings.json over an empty environment variable', { A: 'local' }, { A: '' }, {}, 'local'],
    ['an undefined given setting leaves the others', { A: 'local' }, {}, { A: undefined }, 'local'],
  ])('takes %s', (_name, local, environment, given, expected) => {
    expect(mergeAppSettings(local, environment, given)['A']).toBe(expected);
  });
});
