import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../dev/world/project-root.js';

describe('projectRoot', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'root-'));
    await writeFile(join(dir, 'package.json'), '{}');
    await mkdir(join(dir, 'dist', 'dev', 'world'), { recursive: true });
  });
  afterAll(async () => await rm(dir, { recursive: true, force: true }));

  it('finds the project from a compiled module under dist/, not dist/ itself', () => {
    expect(projectRoot(join(dir, 'dist', 'dev', 'world'))).toBe(dir);
  });

  it('finds this project from the source tree', () => {
    expect(projectRoot()).toBe(join(import.meta.dirname, '..', '..'));
  });
});
