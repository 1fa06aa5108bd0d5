import type { JsonObject } from './json.ts';

/** A connection as a task sees it: decrypted, with `extra` parsed (Airflow's Connection). */
export interface ConnectionData {
  connId: string;
  connType: string;
  description: string | null;
  host: string | null;
  schema: string | null;
  login: string | null;
  password: string | null;
  port: number | null;
  extra: JsonObject;
}
