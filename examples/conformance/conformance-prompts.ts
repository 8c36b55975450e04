/**
 * The prompts the conformance suite lists and renders, ported from its reference server: one without arguments,
 * one whose two required arguments appear in its text, one that embeds a resource, and one that carries an image.
 * Every prompt is described: prompts-list fails one without a description.
 */
import type { McpServer, Registration } from '../../src/index.js';
import { TEST_IMAGE_PNG_BASE64 } from './test-media.js';

/** Registers every conformance prompt. */
export function registerConformancePrompts(server: McpServer): Registration[] {
  return [
    server.prompt(
      'test_simple_prompt',
      { title: 'Simple Test Prompt', description: 'A simple prompt without arguments' },
      () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }] }),
    ),
    server.prompt(
      'test_prompt_with_arguments',
      {
        title: 'Prompt With Arguments',
        description: 'A prompt with required arguments',
        arguments: [
          { name: 'arg1', description: 'First test argument', required: true },
          { name: 'arg2', description: 'Second test argument', required: true },
        ],
      },
      ({ arg1, arg2 }) => ({
        messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${String(arg1)}', arg2='${String(arg2)}'` } }],
      }),
    ),
    server.prompt(
      'test_prompt_with_embedded_resource',
      {
        title: 'Prompt With Embedded Resource',
        description: 'A prompt that includes an embedded resource',
        arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
      },
      ({ resourceUri }) => ({
        messages: [
          {
            role: 'user',
            content: { type: 'resource', resource: { uri: String(resourceUri), mimeType: 'text/plain', text: 'Embedded resource content for testing.' } },
          },
          { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
        ],
      }),
    ),
    server.prompt(
      'test_prompt_with_image',
      { title: 'Prompt With Image', description: 'A prompt that includes image content' },
      () => ({
        messages: [
          { role: 'user', content: { type: 'image', data: TEST_IMAGE_PNG_BASE64, mimeType: 'image/png' } },
          { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
        ],
      }),
    ),
  ];
}
