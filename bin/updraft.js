#!/usr/bin/env node
// The published entry point. Node 24 strips TypeScript types natively, so the CLI runs from source.
import '../src/cli/main.ts';
