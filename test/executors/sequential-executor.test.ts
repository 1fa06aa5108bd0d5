import { createExecutor } from '../../src/executors/index.ts';
import { describeExecutorConformance } from './conformance.ts';

describeExecutorConformance('SequentialExecutor', (context) => createExecutor('SequentialExecutor', context), { slots: 1 });
