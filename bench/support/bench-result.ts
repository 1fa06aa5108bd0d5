import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuStealPercentSinceStart } from './cpu-steal.ts';

/** One measured figure: `lowerIsBetter` tells the comparison which way a regression goes. */
export interface Metric {
  value: number;
  unit: string;
  lowerIsBetter: boolean;
  /** The issue's target for this figure, when there is one. */
  target?: number;
}

export interface BenchReport {
  bench: string;
  at: string;
  node: string;
  /** The host while the benchmark ran; not compared with the baseline (see cpu-steal.ts). */
  host: { cpuStealPercent: number | null };
  metrics: Record<string, Metric>;
  comparison: Record<string, { baseline: number; change: string; regression: boolean }>;
}

const RESULTS = join(import.meta.dirname, '..', 'results');
const BASELINES = join(import.meta.dirname, '..', 'baseline');
/** A change worse than this fraction of the baseline is flagged as a regression. */
const REGRESSION_TOLERANCE = 0.25;

/**
 * Writes bench/results/<name>.json, compares it with the committed bench/baseline/<name>.json and
 * prints the JSON and a one-line summary. `--update-baseline` replaces the baseline with this run.
 */
export function reportBench(name: string, metrics: Record<string, Metric>): BenchReport {
  const baselineFile = join(BASELINES, `${name}.json`);
  const baseline = existsSync(baselineFile) ? (JSON.parse(readFileSync(baselineFile, 'utf8')) as BenchReport) : null;
  const comparison: BenchReport['comparison'] = {};
  for (const [key, metric] of Object.entries(metrics)) {
    const before = baseline?.metrics[key]?.value;
    if (before === undefined || before === 0) continue;
    const ratio = (metric.value - before) / before;
    comparison[key] = {
      baseline: before,
      change: `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`,
      regression: metric.lowerIsBetter ? ratio > REGRESSION_TOLERANCE : ratio < -REGRESSION_TOLERANCE,
    };
  }
  const host = { cpuStealPercent: cpuStealPercentSinceStart() };
  const report: BenchReport = { bench: name, at: new Date().toISOString(), node: process.version, host, metrics, comparison };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  if (process.argv.includes('--update-baseline')) writeFileSync(baselineFile, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const regressions = Object.entries(comparison).filter(([, c]) => c.regression).map(([k, c]) => `${k} ${c.change}`);
  const missed = Object.entries(metrics).filter(([, m]) => m.target !== undefined && (m.lowerIsBetter ? m.value > m.target : m.value < m.target)).map(([k]) => k);
  const headline = Object.entries(metrics).map(([k, m]) => `${k}=${round(m.value)}${m.unit}`).join(' ');
  const steal = host.cpuStealPercent === null ? '' : ` (host CPU steal ${host.cpuStealPercent.toFixed(1)}%)`;
  process.stdout.write(`${name}${steal}: ${headline}${missed.length ? ` | MISSED TARGET: ${missed.join(', ')}` : ''}${regressions.length ? ` | REGRESSION: ${regressions.join(', ')}` : ''}\n`);
  return report;
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}
