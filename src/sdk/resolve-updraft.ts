import { registerHooks } from 'node:module';

const SDK_ENTRY = new URL('./index.ts', import.meta.url).href;
let registered = false;

/**
 * Makes `import ... from 'updraft'` in DAG files resolve to this very SDK, wherever the DAG folder
 * is. Without it, a DAG folder outside this package could not resolve `updraft` at all, and a second
 * copy of the SDK would register its DAGs in a registry the loader never sees. Called once by each
 * process that imports DAG files (the parse process and the task process) before the first import.
 */
export function resolveUpdraftToThisSdk(): void {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === 'updraft') return { url: SDK_ENTRY, format: 'module-typescript', shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
}
