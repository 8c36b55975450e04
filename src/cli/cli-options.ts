/**
 * Parsers of CLI flag values. Each rejects a bad value with a message that names the flag, which commander prints
 * after its own "option '--port <port>' argument 'abc' is invalid." line, so the user sees what to type instead.
 */
import { InvalidArgumentError } from 'commander';

/** `--port`: an integer 0-65535 (0 picks a free port). */
export function parsePort(value: string): number {
  return portOf(value, '--port');
}

/** `--metrics-port`: an integer 0-65535 (0 picks a free port). */
export function parseMetricsPort(value: string): number {
  return portOf(value, '--metrics-port');
}

function portOf(value: string, flag: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new InvalidArgumentError(`${flag} must be an integer 0-65535.`);
  return port;
}

/** `--host`: a non-empty interface name or address. */
export function parseHost(value: string): string {
  if (value.trim().length === 0 || /\s/.test(value)) throw new InvalidArgumentError('--host must be a host name or IP address.');
  return value;
}
