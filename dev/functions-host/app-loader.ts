/**
 * Loads the app the way the Node.js worker does (azure-functions-nodejs-worker `src/startApp.ts`,
 * `src/loadScriptFile.ts`): every file matching package.json `main` (a path or a glob), in order,
 * with `import()` for ES modules (`.mjs`, or `"type": "module"`) and `require` otherwise; then the
 * appStart hooks; then the programming model's capabilities, which lock `app.setup()`. After that,
 * registering functions is an error, as in Azure. Unlike the worker, which logs a load failure as a
 * warning and runs without the functions it could not load, the local host fails to start.
 */
import { glob, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CoreApi } from './core-api.js';

export class AppLoadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppLoadError';
  }
}

interface PackageJson {
  readonly main?: unknown;
  readonly type?: unknown;
}

async function readPackageJson(appDir: string): Promise<PackageJson> {
  try {
    return JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8')) as PackageJson;
  } catch (error) {
    throw new AppLoadError(`Cannot read ${join(appDir, 'package.json')}: ${(error as Error).message}`);
  }
}

/** The entry point files `main` selects, relative to the app, sorted like globby returns them. */
export async function entryPointFiles(appDir: string, main: string): Promise<string[]> {
  const files: string[] = [];
  for await (const file of glob(main, { cwd: appDir })) files.push(file);
  if (files.length === 0) {
    throw new AppLoadError(
      `package.json "main" is "${main}", but no file in ${appDir} matches it (build first?)`,
    );
  }
  return files.sort();
}

function isEsModule(file: string, pkg: PackageJson): boolean {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  return pkg.type === 'module';
}

/**
 * Imports the app's entry points (which register functions and hooks through the library), runs
 * the appStart hooks and locks startup. Returns the files loaded.
 */
export async function loadApp(appDir: string, core: CoreApi): Promise<string[]> {
  const pkg = await readPackageJson(appDir);
  if (typeof pkg.main !== 'string' || pkg.main === '') {
    throw new AppLoadError(`${join(appDir, 'package.json')} has no "main": Azure would load no functions`);
  }
  const appRequire = createRequire(join(appDir, 'package.json'));
  // Load the app's own copy of the library through CommonJS first, so that the ES module import in
  // the app shares this instance and its lazy `require('@azure/functions-core')` reaches the host.
  try {
    appRequire('@azure/functions');
  } catch (error) {
    throw new AppLoadError(`The app cannot load "@azure/functions": ${(error as Error).message}`);
  }
  const files = await entryPointFiles(appDir, pkg.main);
  for (const file of files) {
    const path = join(appDir, file);
    try {
      if (isEsModule(file, pkg)) await import(pathToFileURL(path).href);
      else appRequire(path);
    } catch (error) {
      throw new AppLoadError(`Worker was unable to load entry point "${file}": ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const appStartContext: Record<string, unknown> = { functionAppDirectory: appDir };
  Object.defineProperty(appStartContext, 'hookData', { get: () => core.appLevelOnlyHookData });
  Object.defineProperty(appStartContext, 'appHookData', { get: () => core.appHookData });
  await core.executeHooks('appStart', appStartContext);
  const capabilities = (await core.programmingModel?.getCapabilities?.({})) ?? {};
  if (capabilities['HttpUri'] !== undefined) {
    throw new AppLoadError('app.setup({ enableHttpStream: true }) is not supported by the local host');
  }
  core.hasFinishedStartup = true;
  return files;
}
