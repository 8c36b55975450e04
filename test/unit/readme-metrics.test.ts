/**
 * The README's "Metrics, health, logs and traces" section against the code: its table names every `erlmcp_*`
 * family ServerMetrics exports and no other, and its list of `status` label values is the set `statusOfCode` can
 * give. A code added to `ErrorCode`, or a metric added to ServerMetrics, fails here until the README says so.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ServerMetrics } from '../../src/metrics/server-metrics.js';
import { STATUS_VALUES } from '../../src/metrics/request-status.js';
import { familyNames } from '../helpers/prom-text.js';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The README's section on metrics, up to the next heading. */
function metricsSection(): string {
  const start = README.indexOf('## Metrics, health, logs and traces');
  assert.ok(start >= 0, 'README has a "Metrics, health, logs and traces" section');
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/**
 * The metric names of the table's first column. A cell abbreviates names after its first by their tail
 * (`erlmcp_sessions_active`, `_created_total`), which completes the first name's `erlmcp_<area>` prefix.
 */
function tableMetricNames(section: string): string[] {
  const names: string[] = [];
  for (const row of section.matchAll(/^\| (`erlmcp_[^|]*)\|/gm)) {
    let prefix = '';
    for (const [, token] of (row[1] as string).matchAll(/`([a-z_<>]+)`/g)) {
      const name = token as string;
      if (name.startsWith('erlmcp_')) {
        prefix = name.split('_').slice(0, 2).join('_');
        names.push(name);
      } else if (name.startsWith('_')) names.push(prefix + name);
    }
  }
  return names;
}

describe('README: metrics', () => {
  it('lists every erlmcp_* metric family ServerMetrics exports, and no other', async () => {
    const metrics = await ServerMetrics.create({ isTool: () => false, runtime: false });
    try {
      const exported = [...familyNames(await metrics.metrics())].filter((n) => n.startsWith('erlmcp_')).sort();
      const documented = tableMetricNames(metricsSection()).filter((n) => n !== 'erlmcp_user_<name>').sort();
      assert.deepEqual(documented, exported);
    } finally {
      metrics.close();
    }
  });

  it('lists every value the status label of erlmcp_requests_total takes', () => {
    const bullet = /^- \*\*`status`\*\* of `erlmcp_requests_total`[\s\S]*?\n- /m.exec(metricsSection())?.[0];
    assert.ok(bullet, 'README has a bullet on the status label');
    const listed = /the name of the\s+JSON-RPC error code \(([^)]*)\)/.exec(bullet)?.[1];
    assert.ok(listed, 'the bullet lists the error code names in parentheses');
    const names = [...listed.matchAll(/`([a-z_]+)`/g)].map((m) => m[1] as string);
    // `ok` and `error` are named in the bullet's own words, around the list.
    assert.match(bullet, /`ok` for a result/);
    assert.match(bullet, /or `error` for a code outside\s+that list/);
    assert.deepEqual(['ok', ...names, 'error'].sort(), [...STATUS_VALUES].sort());
  });
});
