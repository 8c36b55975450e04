/**
 * The demo's prompt: `summarize`, with a required free-text argument and an optional one whose values complete.
 */
import { invalidParams } from '../protocol/wire-error.js';
import type { McpServer, Registration } from '../server/mcp-server.js';

/** How `summarize` may be asked to answer, and what each asks of the model. */
export const SUMMARY_STYLES: Readonly<Record<string, string>> = Object.freeze({
  brief: 'in one or two sentences',
  detailed: 'in a few detailed paragraphs',
  bullet: 'as a short bulleted list',
});

const STYLE_NAMES = Object.freeze(Object.keys(SUMMARY_STYLES));

/** Registers the summarize prompt. */
export function registerDemoPrompts(server: McpServer): Registration[] {
  return [
    server.prompt(
      'summarize',
      {
        title: 'Summarize',
        description: 'Asks the model to summarize a text.',
        arguments: [
          { name: 'text', description: 'The text to summarize.', required: true },
          {
            name: 'style',
            description: `One of ${STYLE_NAMES.join(', ')} (default brief).`,
            complete: (value) => STYLE_NAMES.filter((s) => s.startsWith(value.toLowerCase())),
          },
        ],
      },
      (args) => {
        const style = args.style ?? 'brief';
        const how = Object.hasOwn(SUMMARY_STYLES, style) ? SUMMARY_STYLES[style] : undefined;
        if (how === undefined) throw invalidParams(`prompts/get: argument style must be one of ${STYLE_NAMES.join(', ')}, got ${JSON.stringify(style)}`);
        return {
          description: `A ${style} summary request`,
          messages: [{ role: 'user', content: { type: 'text', text: `Summarize the following text ${how}:\n\n${args.text ?? ''}` } }],
        };
      },
    ),
  ];
}
