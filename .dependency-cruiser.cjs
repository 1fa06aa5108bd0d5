/**
 * The import boundaries of ../shared/DESIGN.md §3, enforced in CI (`npm run lint`).
 * A rule here is cheaper than a review comment: if a new dependency is really needed,
 * change the rule in the same commit and say why in an ADR.
 */
const NO_USER_CODE = ['^src/scheduler', '^src/store', '^src/api', '^src/executors'];

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles make load order matter and hide layering mistakes.', from: {}, to: { circular: true } },
    {
      name: 'sdk-depends-on-contracts-only',
      severity: 'error',
      comment: 'DAG files import the SDK; it must stay free of the store, drivers and server code.',
      from: { path: '^src/sdk' },
      to: { path: '^src/', pathNot: ['^src/sdk', '^src/contracts'] },
    },
    {
      name: 'sdk-no-database-driver',
      severity: 'error',
      from: { path: '^src/sdk' },
      to: { path: 'node_modules/(pg|mysql2|kysely|ioredis|bullmq)/' },
    },
    {
      name: 'contracts-are-leaves',
      severity: 'error',
      comment: 'Contracts are types and validation; they depend on nothing else in src/.',
      from: { path: '^src/contracts' },
      to: { path: '^src/', pathNot: '^src/contracts' },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'The decision core does no I/O: it may use contracts only.',
      from: { path: '^src/core' },
      to: { path: ['^src/(?!core|contracts)', '^(node:)?(fs|child_process|net|http|https|dgram|worker_threads)$'] },
    },
    {
      name: 'no-user-code-in-trusted-components',
      severity: 'error',
      comment: 'The scheduler, store, API and executors work from serialized DAGs only.',
      from: { path: NO_USER_CODE },
      to: { path: ['^src/sdk', '^examples/', '^src/worker/task-process'] },
    },
    {
      name: 'only-store-talks-sql',
      severity: 'error',
      comment: 'Only src/store writes SQL or holds a database driver.',
      from: { path: '^src/', pathNot: '^src/store' },
      to: { path: 'node_modules/(pg|mysql2|kysely)/' },
    },
    {
      name: 'ui-talks-only-to-the-api',
      severity: 'error',
      comment: 'The web UI reaches the server only through the REST API client (ui/src/api).',
      from: { path: '^ui/src' },
      to: { path: '^(src|test|bench|examples)/' },
    },
    {
      name: 'task-process-has-no-store',
      severity: 'error',
      comment: 'Task processes never hold database credentials; they ask their supervisor.',
      from: { path: '^src/worker/task-process' },
      to: { path: ['^src/store', '^src/config'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$|\\.test-d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
