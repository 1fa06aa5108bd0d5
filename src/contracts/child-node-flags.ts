/**
 * Node flags of the processes Updraft starts to run user code (task processes, DAG parse
 * processes). V8 sizes a process's young generation from the machine's memory (64 MB on a 24 GiB
 * host) and keeps it once grown, so `parallelism` task processes would hold gigabytes of it.
 * 16 MB semi-spaces cost short tasks no measurable throughput (bench/scheduler.ts). bin/updraft.js
 * sets the same for Updraft's own processes.
 */
export const CHILD_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];
