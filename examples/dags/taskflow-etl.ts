/**
 * TaskFlow: plain TypeScript functions become tasks, and each return value reaches the next task
 * as a typed argument (through XCom). Wiring a task into a parameter of the wrong type does not compile.
 */
import { dag, task } from 'updraft';

interface Order {
  id: number;
  amount: number;
}

interface Summary {
  orders: number;
  total: number;
}

const extract = task('extract', (): Order[] => {
  const raw = '[{"id": 1001, "amount": 301.27}, {"id": 1002, "amount": 433.21}, {"id": 1003, "amount": 502.22}]';
  return JSON.parse(raw) as Order[];
});

const transform = task('transform', (orders: Order[]): Summary => ({
  orders: orders.length,
  total: Math.round(orders.reduce((sum, order) => sum + order.amount, 0) * 100) / 100,
}));

const load = task('load', (summary: Summary): string => {
  const line = `Loaded ${summary.orders} orders worth ${summary.total.toFixed(2)}`;
  console.log(line);
  return line;
});

export default dag(
  {
    dagId: 'taskflow_etl',
    description: 'Extract, transform and load with typed TaskFlow tasks',
    schedule: '@daily',
    startDate: '2024-01-01',
    tags: ['example', 'taskflow'],
  },
  () => {
    load(transform(extract()));
  },
);
