import { supervisedExecutorOptions, type HostExecutorOptions } from './host-executor-options.ts';
import { SupervisedExecutor } from './supervised-executor.ts';

/**
 * Airflow's SequentialExecutor: one try at a time (availableSlots is 0 or 1), in one warm task
 * process. For debugging, and for setups where nothing may run side by side.
 */
export class SequentialExecutor extends SupervisedExecutor {
  constructor(options: HostExecutorOptions) {
    super(supervisedExecutorOptions('SequentialExecutor', 1, options));
  }
}
