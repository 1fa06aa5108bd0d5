import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const UI_DIST = join(ROOT, 'ui', 'dist');

function newestMtime(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds ui/dist (`npm run ui:build`) when it is missing or older than ui/src, so tests see the current UI. */
export function ensureUiBuilt(): void {
  const index = join(UI_DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(ROOT, 'ui', 'src'))) return;
  execFileSync('npm', ['run', 'ui:build'], { cwd: ROOT, stdio: 'inherit' });
}
