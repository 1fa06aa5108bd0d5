import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A DAG file shaped like a typical small pipeline: three templated Bash tasks in a chain. */
export function benchDagSource(dagId: string): string {
  return `import { BashOperator, dag } from 'updraft';
export default dag({ dagId: '${dagId}', schedule: '@daily', startDate: '2024-01-01', tags: ['bench'] }, () => {
  const extract = new BashOperator({ taskId: 'extract', bashCommand: 'echo {{ ds }}' });
  const transform = new BashOperator({ taskId: 'transform', bashCommand: 'echo transform' });
  const load = new BashOperator({ taskId: 'load', bashCommand: 'echo load' });
  extract.then(transform).then(load);
});
`;
}

/**
 * A folder of `count` generated DAG files inside the repository (gitignored .updraft-test/), so that
 * `import 'updraft'` resolves as it does for users. Remove it with the returned function.
 */
export function generateDagFolder(count: number): { folder: string; remove: () => void } {
  const scratch = join(import.meta.dirname, '..', '..', '.updraft-test');
  mkdirSync(scratch, { recursive: true });
  const folder = mkdtempSync(join(scratch, 'bench-dags-'));
  for (let index = 0; index < count; index += 1) writeFileSync(join(folder, `dag_${index}.ts`), benchDagSource(`bench_${index}`));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
