#!/usr/bin/env -S node --max-semi-space-size=16
// The published entry point. Node 24 strips TypeScript types natively, so the CLI runs from source.
// V8 sizes the young generation from the machine's memory (64 MB on a 24 GiB host) and never gives
// it back; 16 MB semi-spaces keep a long-running `updraft standalone` near 180 MB without costing
// throughput (bench/standalone.ts). Flags can only be set when Node starts, hence the shebang.
import { enableCompileCacheForProcessTree } from '../src/contracts/compile-cache.ts';

// Before the CLI's modules load, which is why they are imported dynamically: the cache serves only
// what is compiled after it is turned on (ADR 0020).
enableCompileCacheForProcessTree();
await import('../src/cli/main.ts');
