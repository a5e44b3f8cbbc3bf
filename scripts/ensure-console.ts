import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Builds the agent console (console/dist, served by `npm start` and the browser tests) with Vite's
 * JS API when it is missing (a fresh checkout) or older than its sources. `npm start` runs this file
 * first; the test run's global setup calls it once, before any worker starts: two browser test
 * files building at once would empty each other's output folder.
 */
export async function ensureConsoleBuilt(root = resolve('console'), log: (line: string) => void = () => undefined): Promise<void> {
  const built = join(root, 'dist', 'index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(root, 'src'))) return;
  log('Building the agent console (console/dist)...');
  const { build } = await import('vite');
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

function newestMtime(folder: string): number {
  return readdirSync(folder, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(folder, entry.name);
    return Math.max(latest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }, 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await ensureConsoleBuilt(resolve('console'), (line) => console.log(line));
