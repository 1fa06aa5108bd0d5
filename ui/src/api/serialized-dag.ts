/**
 * The parts of the serialized DAG (src/contracts/serialized-dag.ts) the UI draws. The API sends
 * the document as an open JSON object, so it is read here defensively, field by field, instead of
 * importing server code (the UI talks to the API only).
 */
export interface UiTask {
  taskId: string;
  operator: string;
  upstream: string[];
  downstream: string[];
  group: string | null;
  triggerRule: string;
  retries: number;
  doc: string | null;
  templateFields: string[];
}

export interface UiTaskGroup {
  groupId: string;
  parent: string | null;
  tooltip: string;
  children: string[];
}

export interface UiParam {
  default?: unknown;
  description?: string;
  schema: Record<string, unknown>;
}

export interface UiDag {
  dagId: string;
  tasks: UiTask[];
  taskGroups: UiTaskGroup[];
  params: Record<string, UiParam>;
  timetableSummary: string;
  docMd: string | null;
  timezone: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
const nullableText = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export function readSerializedDag(document: Record<string, unknown>): UiDag {
  const tasks = (Array.isArray(document['tasks']) ? document['tasks'] : []).filter(isRecord).map(
    (task): UiTask => ({
      taskId: text(task['taskId']),
      operator: text(task['operator']),
      upstream: strings(task['upstream']),
      downstream: strings(task['downstream']),
      group: nullableText(task['group']),
      triggerRule: text(task['triggerRule'], 'all_success'),
      retries: typeof task['retries'] === 'number' ? task['retries'] : 0,
      doc: nullableText(task['doc']),
      templateFields: strings(task['templateFields']),
    }),
  );
  const taskGroups = (Array.isArray(document['taskGroups']) ? document['taskGroups'] : []).filter(isRecord).map(
    (group): UiTaskGroup => ({ groupId: text(group['groupId']), parent: nullableText(group['parent']), tooltip: text(group['tooltip']), children: strings(group['children']) }),
  );
  const params: Record<string, UiParam> = {};
  if (isRecord(document['params'])) {
    for (const [name, param] of Object.entries(document['params'])) {
      if (!isRecord(param)) continue;
      params[name] = {
        ...('default' in param ? { default: param['default'] } : {}),
        ...(typeof param['description'] === 'string' ? { description: param['description'] } : {}),
        schema: isRecord(param['schema']) ? param['schema'] : {},
      };
    }
  }
  const timetable = isRecord(document['timetable']) ? document['timetable'] : {};
  return {
    dagId: text(document['dagId']),
    tasks,
    taskGroups,
    params,
    timetableSummary: text(timetable['summary']),
    docMd: nullableText(document['docMd']),
    timezone: text(document['timezone'], 'UTC'),
  };
}
