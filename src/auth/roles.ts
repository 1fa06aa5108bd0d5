/**
 * Airflow's roles, weakest first; each role can do everything the ones before it can:
 * Viewer reads; User also triggers, clears, pauses and marks runs and tasks; Op also manages
 * variables, connections and pools; Admin also manages users.
 */
export const ROLES = ['Viewer', 'User', 'Op', 'Admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether `role` grants at least what `required` grants. Unknown roles grant nothing. */
export function roleAtLeast(role: string, required: Role): boolean {
  return isRole(role) && ROLES.indexOf(role) >= ROLES.indexOf(required);
}
