/**
 * The text of a thrown value, for the CLI's one-line reports on stderr. User code (a config module, a handler) can
 * throw anything: `null`, a string, an object without a prototype, an Error whose message is not a string. The
 * report must name what was thrown rather than print `undefined`, and must never throw itself: a reporter that
 * throws inside a diagnostics-channel subscriber ends the process.
 */

/** An Error's message, or `threw <value>` for anything else; never throws. */
export function errorText(thrown: unknown): string {
  try {
    if (thrown instanceof Error) {
      const message: unknown = thrown.message;
      if (typeof message === 'string' && message !== '') return message;
      return message === '' || message === undefined ? String(thrown.name) : valueText(message);
    }
    return `threw ${valueText(thrown)}`;
  } catch {
    // A getter on the thrown object threw too.
    return 'threw a value that cannot be printed';
  }
}

/** A value as JSON where it has a JSON form (`null`, `"text"`, `{"code":1}`), else its type tag. */
function valueText(value: unknown): string {
  if (value === undefined || typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  const text = json ?? Object.prototype.toString.call(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
