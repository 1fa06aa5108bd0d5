import { Command, CommanderError } from 'commander';
import { CliContext } from './cli-context.ts';
import { registerConfigCommands } from './commands/config.ts';
import { registerConnectionCommands } from './commands/connections.ts';
import { registerDagProcessorCommand } from './commands/dag-processor.ts';
import { registerDagRunCommands } from './commands/dag-runs.ts';
import { registerDagCommands } from './commands/dags.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerSchedulerCommand } from './commands/scheduler.ts';
import { registerStandaloneCommand } from './commands/standalone.ts';
import { registerTaskStateCommands } from './commands/task-state.ts';
import { registerTaskCommands } from './commands/tasks.ts';
import { registerVariableCommands } from './commands/variables.ts';
import { registerUserCommands } from './commands/users.ts';
import { registerApiServerCommand } from './commands/api-server.ts';
import { EXIT } from './exit-codes.ts';
import { reportError } from './report-error.ts';

const program = new Command('updraft')
  .description('Updraft: author, schedule and run DAGs of tasks, the Airflow way, in TypeScript.')
  .option('-v, --verbose', 'print stack traces and debug detail')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

const context = new CliContext();
const dags = registerDagCommands(program, context);
registerDagRunCommands(program, dags, context);
const tasks = registerTaskCommands(program, context);
registerTaskStateCommands(tasks, context);
registerVariableCommands(program, context);
registerConnectionCommands(program, context);
registerConfigCommands(program, context);
registerDbCommands(program, context);
registerStandaloneCommand(program, context);
registerUserCommands(program, context);
registerApiServerCommand(program, context);
registerDagProcessorCommand(program, context);
registerSchedulerCommand(program, context);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    const verbose = program.opts<{ verbose?: boolean }>().verbose === true;
    process.exitCode = reportError(error, verbose);
  }
}

