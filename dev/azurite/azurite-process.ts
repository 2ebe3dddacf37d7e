/**
 * Runs Azurite (its own CLI entry, in this process) for `startAzurite`, and makes sure it does not
 * outlive its parent: when the IPC channel closes (the parent exited or was killed) it stops as if
 * it got SIGTERM, and removes its temporary data folder. Arguments are Azurite's CLI options.
 */
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const azuriteCli = require.resolve('azurite/dist/src/azurite.js');

// Azurite parses process.argv when it loads; present the options as if it were run directly.
process.argv = [process.argv[0] ?? process.execPath, azuriteCli, ...process.argv.slice(2)];

function exitAfterAzuriteCloses(): void {
  // Azurite's own SIGTERM/SIGINT handler closes its servers; dropping the IPC channel lets the
  // process exit once they are closed, and the timer bounds the wait if something lingers.
  if (process.connected) process.disconnect();
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.once('SIGTERM', exitAfterAzuriteCloses);
process.once('SIGINT', exitAfterAzuriteCloses);
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));

// The data folder is temporary: remove it on the way out, also when the parent could not.
const locationIndex = process.argv.indexOf('--location');
const location = locationIndex > 0 ? process.argv[locationIndex + 1] : undefined;
if (process.env['AZURITE_TEMPORARY_LOCATION'] === '1' && location !== undefined) {
  process.once('exit', () => rmSync(location, { recursive: true, force: true }));
}

require(azuriteCli);
