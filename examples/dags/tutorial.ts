/**
 * Airflow's tutorial DAG, in Updraft form: three Bash tasks, templating with the Airflow context
 * and params, retries. `npx updraft dags test tutorial 2015-06-01` runs it once.
 */
import { BashOperator, dag } from 'updraft';

const templatedCommand = `
{% for i in range(5) %}
    echo "{{ ds }}"
    echo "{{ macros.ds_add(ds, 7)}}"
    echo "{{ params.my_param }}"
{% endfor %}
`;

export default dag(
  {
    dagId: 'tutorial',
    description: 'A simple tutorial DAG',
    docMd: 'The Airflow tutorial: print the date, sleep, then echo templated lines.',
    schedule: { days: 1 },
    startDate: '2015-06-01',
    catchup: false,
    tags: ['example'],
    owner: 'updraft',
    defaultArgs: { retries: 1, retryDelay: { minutes: 5 } },
    params: { my_param: 'Parameter I passed in' },
  },
  () => {
    const printDate = new BashOperator({ taskId: 'print_date', bashCommand: 'date' });
    const sleep = new BashOperator({ taskId: 'sleep', bashCommand: 'sleep 5', retries: 3 });
    const templated = new BashOperator({ taskId: 'templated', bashCommand: templatedCommand });
    printDate.then(sleep, templated);
  },
);
