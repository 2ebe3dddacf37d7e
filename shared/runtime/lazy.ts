import { loadSettings, type Settings } from './settings.js';

/**
 * Builds a value on first use and keeps it for the life of the process (SDK clients are built once
 * and lazily, as the Functions guidance recommends). A failed build is not cached, so a fixed app
 * setting takes effect on the next invocation.
 */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

/** The process's settings, parsed once from the environment (app settings). */
export const currentSettings: () => Settings = lazy(() => loadSettings(process.env));
