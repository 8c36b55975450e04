/**
 * The resources the conformance suite reads and subscribes to, ported from its reference server: a static text
 * resource, a static binary one, a template whose variable shows up in what it returns, and a resource to watch
 * (subscriptions themselves are the server's: resources/subscribe and unsubscribe answer `{}`).
 */
import type { McpServer, Registration } from '../../src/index.js';
import { TEST_IMAGE_PNG_BASE64 } from './test-media.js';

/** The resource the subscribe and unsubscribe scenarios watch. */
export const WATCHED_RESOURCE_URI = 'test://watched-resource';

/** Registers every conformance resource and the template. */
export function registerConformanceResources(server: McpServer): Registration[] {
  return [
    server.resource(
      'test://static-text',
      { name: 'static-text', title: 'Static Text Resource', description: 'A static text resource for testing', mimeType: 'text/plain' },
      (uri) => [{ uri, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }],
    ),
    server.resource(
      'test://static-binary',
      { name: 'static-binary', title: 'Static Binary Resource', description: 'A static binary resource (image) for testing', mimeType: 'image/png' },
      (uri) => [{ uri, mimeType: 'image/png', blob: TEST_IMAGE_PNG_BASE64 }],
    ),
    server.resourceTemplate(
      'test://template/{id}/data',
      { name: 'template', title: 'Resource Template', description: 'A resource template with parameter substitution', mimeType: 'application/json' },
      // The scenario reads test://template/123/data and looks for "123" in the text.
      (uri, { id }) => [{
        uri,
        mimeType: 'application/json',
        text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }),
      }],
    ),
    server.resource(
      WATCHED_RESOURCE_URI,
      { name: 'watched-resource', title: 'Watched Resource', description: 'A resource clients subscribe to', mimeType: 'text/plain' },
      (uri) => [{ uri, mimeType: 'text/plain', text: 'Watched resource content' }],
    ),
  ];
}
