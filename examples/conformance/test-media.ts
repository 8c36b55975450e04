/**
 * The binary payloads the conformance fixtures return, base64-encoded: the smallest PNG and WAV files that are
 * still valid, taken from the suite's reference server (`examples/servers/typescript/everything-server.ts` of
 * `@modelcontextprotocol/conformance@0.1.13`), so clients that decode them succeed.
 */

/** A 1x1 red pixel, PNG. */
export const TEST_IMAGE_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** An empty 8 kHz mono 16-bit WAV file. The suite requires the mimeType `audio/wav` exactly. */
export const TEST_AUDIO_WAV_BASE64 = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';
