/**
 * Prints the server's internal failures to stderr: the dispatcher answers them with a generic -32603 and keeps
 * the detail in-process (no stack leaves it), publishing it on the `erlmcp:server:error` diagnostics channel. This
 * subscriber is what makes that detail visible to the operator: one line each, the stack only with `--verbose`.
 */
import { internalError } from '../diagnostics/channels.js';
import { errorText } from './error-text.js';

/** Options of the reporter. */
export interface ErrorReporterOptions {
  /** Print stack traces too. */
  verbose: boolean;
  /** Where lines go. */
  log: (line: string) => void;
}

interface InternalErrorEvent {
  error?: unknown;
  method?: string;
  sessionId?: string;
}

/** Subscribes to internal errors; returns the unsubscribe function. */
export function reportInternalErrors(options: ErrorReporterOptions): () => void {
  const onError = (message: unknown): void => {
    const event = (message ?? {}) as InternalErrorEvent;
    const err = event.error;
    // Handlers can throw anything; an exception here would be rethrown as uncaught and end the server.
    const text = errorText(err);
    const where = event.method === undefined ? '' : ` in ${event.method}`;
    options.log(`erlmcp: internal error${where}: ${text.replaceAll('\n', ' ')}`);
    if (options.verbose && err instanceof Error && typeof err.stack === 'string') options.log(err.stack);
  };
  internalError.subscribe(onError);
  return () => void internalError.unsubscribe(onError);
}
