/**
 * Node runtime metrics, from prom-client's default collectors under their standard names, so community Node.js
 * dashboards read them too: event-loop delay (`nodejs_eventloop_lag_*_seconds`, from `monitorEventLoopDelay`),
 * GC pauses by kind (`nodejs_gc_duration_seconds{kind}`, from a `perf_hooks` observer), heap
 * (`nodejs_heap_size_used_bytes`, per space too) and RSS (`process_resident_memory_bytes`), plus CPU, handles and
 * file descriptors.
 *
 * The collectors install process-wide observers that prom-client never removes, so they are created once per
 * process, on first use, and shared.
 */
import type { Registry } from 'prom-client';

/**
 * GC pause buckets: a scavenge takes well under a millisecond here, so the default buckets (from 1 ms) would put
 * every minor GC in the first one.
 */
const GC_BUCKETS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

let shared: Promise<Registry> | undefined;

/** The process's runtime metrics registry, created on first call. */
export function runtimeRegistry(): Promise<Registry> {
  shared ??= (async () => {
    const prom = await import('prom-client');
    const registry = new prom.Registry();
    // 10 ms: prom-client's default resolution, fine enough to see the multi-millisecond stalls that matter.
    prom.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10, gcDurationBuckets: GC_BUCKETS_SECONDS });
    return registry;
  })();
  return shared;
}
