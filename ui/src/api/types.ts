import type { components } from './schema.d.ts';

/** Named shortcuts for the generated schema types the UI uses most. */
type Schemas = components['schemas'];
export type Dag = Schemas['Dag'];
export type DagRun = Schemas['DagRun'];
export type TaskInstance = Schemas['TaskInstance'];
export type TaskInstanceTry = Schemas['TaskInstanceTry'];
export type Grid = Schemas['Grid'];
export type GridRun = Grid['dag_runs'][number];
export type ImportError = Schemas['ImportError'];
export type Variable = Schemas['Variable'];
export type Connection = Schemas['Connection'];
export type Pool = Schemas['Pool'];
export type User = Schemas['User'];
export type Me = Schemas['Me'];
export type XCom = Schemas['XCom'];
