/**
 * Names for the statements the store runs over and over (queries/prepared.ts), so that a driver
 * that can keep a statement prepared on its connection (Postgres) parses and plans each one once
 * per connection instead of once per execution. Only registered statements get a name: their set
 * is finite, whereas ad hoc SQL (IN lists of any length...) would fill the server's statement cache.
 */
const names = new Map<string, string>();

/** Gives `sql` a name for good; the same text always gets the same name in this process. */
export function nameStatement(sql: string): void {
  if (!names.has(sql)) names.set(sql, `updraft_${names.size + 1}`);
}

/** The name of a registered statement, or undefined for ad hoc SQL. */
export function statementName(sql: string): string | undefined {
  return names.get(sql);
}
