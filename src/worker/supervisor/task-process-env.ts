/**
 * The environment a task process starts with: the supervisor's, minus what would let user code
 * reach the metadata database or decrypt secrets. Task processes never hold database credentials
 * (DESIGN.md §2); they ask their supervisor. Config files are out of reach anyway: the task process
 * may not import src/config (lint rule task-process-has-no-store).
 */
const WITHHELD = [/^UPDRAFT__DATABASE__/i, /^UPDRAFT__CORE__SECRET_KEY$/i];

export function taskProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !WITHHELD.some((pattern) => pattern.test(name))));
}
