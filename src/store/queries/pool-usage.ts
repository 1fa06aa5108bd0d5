import type { QueryCreator } from 'kysely';
import type { Database } from '../schema.ts';

const OCCUPYING_STATES = ['running', 'queued', 'deferred'] as const;

/**
 * Every pool with the slots its task instances occupy, summed through the (pool, state) index of
 * task_instance: what listPools shows and, as a CTE of the claim, what the queueing phase counts
 * its open slots by (claimScheduledTis). `occupied_slots` is Airflow's count: running + queued,
 * + deferred when the pool includes deferred task instances.
 */
export function poolUsage(db: QueryCreator<Database>) {
  return db
    .selectFrom('slot_pool as p')
    .leftJoin('task_instance as t', (join) => join.onRef('t.pool', '=', 'p.pool').on('t.state', 'in', OCCUPYING_STATES))
    .select((eb) => {
      const slotsIn = (state: (typeof OCCUPYING_STATES)[number]) => eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('t.state', '=', state).then(eb.ref('t.pool_slots')).end()), eb.lit(0));
      const occupying = eb.or([eb('t.state', 'in', ['running', 'queued']), eb.and([eb('t.state', '=', 'deferred'), eb('p.include_deferred', '=', 1)])]);
      return [
        'p.pool',
        'p.slots',
        'p.description',
        'p.include_deferred',
        slotsIn('running').as('running_slots'),
        slotsIn('queued').as('queued_slots'),
        slotsIn('deferred').as('deferred_slots'),
        eb.fn.coalesce(eb.fn.sum<number>(eb.case().when(occupying).then(eb.ref('t.pool_slots')).end()), eb.lit(0)).as('occupied_slots'),
      ];
    })
    .groupBy(['p.pool', 'p.slots', 'p.description', 'p.include_deferred']);
}
