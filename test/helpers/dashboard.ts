/**
 * The PromQL that deploy/ ships: the seed's dashboard expressions, verbatim, and every expression of
 * deploy/grafana/erlmcp-dashboard.json, with the metric names they read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** deploy/grafana/erlmcp-dashboard.json. */
export const DASHBOARD_FILE = join(ROOT, 'deploy/grafana/erlmcp-dashboard.json');
/** deploy/prometheus/prometheus.yml. */
export const SCRAPE_CONFIG_FILE = join(ROOT, 'deploy/prometheus/prometheus.yml');

/** The seed's PromQL, verbatim (seed "Performance Dashboard": request rate, p95 and p99, error rate). */
export const SEED_EXPRESSIONS: readonly string[] = [
  'rate(erlmcp_requests_total[5m])',
  'histogram_quantile(0.95, rate(erlmcp_request_duration_seconds_bucket[5m]))',
  'histogram_quantile(0.99, rate(erlmcp_request_duration_seconds_bucket[5m]))',
  'rate(erlmcp_errors_total[5m]) / rate(erlmcp_requests_total[5m])',
];

interface DashboardFile {
  dashboard: { title: string; panels: { title: string; targets: { expr: string; legendFormat?: string }[] }[] };
}

/** The dashboard file, parsed. */
export function readDashboard(): DashboardFile {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as DashboardFile;
}

/** Every `expr` of the dashboard's panels. */
export function dashboardExpressions(): string[] {
  return readDashboard().dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
}

/** The metric names an expression reads: erlmcp's own, and the Node runtime's `nodejs_*` and `process_*`. */
export function metricNamesIn(expr: string): string[] {
  return [...expr.matchAll(/\b(?:erlmcp|nodejs|process)_[a-zA-Z0-9_]+/g)].map((m) => m[0]);
}
