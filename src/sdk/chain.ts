import { flattenTargets, link, TaskList, type Dependable } from './dependable.ts';
import { invalidOption } from './option-errors.ts';

/**
 * Links tasks in sequence (Airflow's `chain`): `chain(a, [b, c], d)` makes b and c follow a and
 * d follow both. Two adjacent lists are linked element-wise, so they must have the same length:
 * `chain(a, [b, c], [d, e])` gives b -> d and c -> e.
 */
export function chain(...elements: (Dependable | readonly Dependable[])[]): void {
  for (let i = 1; i < elements.length; i++) {
    const up = elements[i - 1];
    const down = elements[i];
    if (up === undefined || down === undefined) continue;
    if (Array.isArray(up) && Array.isArray(down)) {
      if (up.length !== down.length) {
        throw invalidOption(
          {},
          `chain() cannot link a list of ${up.length} tasks to a list of ${down.length} tasks`,
          'Adjacent lists in chain() are linked element-wise and need the same length; put a single task between them to fan in and out',
        );
      }
      up.forEach((from, index) => link(asOne(from), asOne(down[index])));
      continue;
    }
    link(asOne(up), asOne(down));
  }
}

function asOne(element: unknown): Dependable {
  return new TaskList(flattenTargets([element], 'chain'));
}

