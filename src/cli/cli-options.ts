/**
 * Parsers of CLI flag values. Each rejects a bad value with a message that names the flag, which commander prints
 * after its own "option '--port <port>' argument 'abc' is invalid." line, so the user sees what to type instead.
 */
import { InvalidArgumentError } from 'commander';
import { CONFIG_SCHEMA } from '../config/config-schema.js';
import { checkValue } from '../config/validate-config.js';

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

/** `--host`: an interface name or address, by the rule of `server.host`, so the flag and the config agree. */
export function parseHost(value: string): string {
  const problems = checkValue(value, CONFIG_SCHEMA.keys.server.keys.host, '--host');
  if (problems.length > 0) throw new InvalidArgumentError(problems.join('; '));
  return value;
}
