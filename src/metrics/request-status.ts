/**
 * The `status` label of `erlmcp_requests_total` and the `type` label of `erlmcp_errors_total`: `ok` for a result,
 * and for an error response the snake_case name of its JSON-RPC code from the `ErrorCode` enum
 * (`invalid_params` for -32602, `internal_error` for -32603, ...). A code outside the enum, which only a handler's
 * own `WireError` can produce, is `error`. So the label takes a fixed, documented set of values.
 */
import { ErrorCode } from '../protocol/error-codes.js';

/** The status of a request answered with a result. */
export const STATUS_OK = 'ok';
/** The status of an error response whose code is not in the enum. */
export const STATUS_ERROR = 'error';

const NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(ErrorCode)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, code]) => [code, name.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toLowerCase()]),
);

/** Every value `statusOfCode` can return, and `ok`. */
export const STATUS_VALUES: readonly string[] = Object.freeze([STATUS_OK, ...NAMES.values(), STATUS_ERROR]);

/** The status label of an error response with this code. */
export function statusOfCode(code: number): string {
  return NAMES.get(code) ?? STATUS_ERROR;
}
