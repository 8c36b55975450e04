/**
 * The contexts of registered resources and resource templates, built once at registration.
 */
import { ErlmcpError } from '../errors.js';
import type { JsonObject } from '../protocol/json-rpc.js';
import { describeForRevisions, type DescriptorByRevision } from './descriptor.js';
import type { ResourceConfig, ResourceReader, ResourceTemplateConfig, TemplateReader, CompleteFn } from './types.js';
import { UriTemplate } from './uri-template.js';

/** A registered fixed resource. */
export interface ResourceEntry {
  readonly uri: string;
  readonly descriptor: DescriptorByRevision;
  readonly read: ResourceReader;
}

/** A registered resource template. */
export interface TemplateEntry {
  readonly template: UriTemplate;
  readonly descriptor: DescriptorByRevision;
  readonly read: TemplateReader;
  readonly complete: Readonly<Record<string, CompleteFn>>;
}

function checkConfig(what: string, config: ResourceConfig, reader: unknown): void {
  if (!config || typeof config.name !== 'string' || config.name.length === 0) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${what}: config.name must be a non-empty string`);
  }
  if (typeof reader !== 'function') {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${what}: reader must be a function`);
  }
}

function metaFields(config: ResourceConfig): JsonObject {
  return {
    name: config.name,
    title: config.title,
    description: config.description,
    mimeType: config.mimeType,
    size: config.size,
    annotations: config.annotations,
    icons: config.icons,
    _meta: config._meta,
  };
}

/** Validates a resource registration and precomputes its context. */
export function buildResourceEntry(uri: string, config: ResourceConfig, read: ResourceReader): ResourceEntry {
  if (typeof uri !== 'string' || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `resource uri ${JSON.stringify(uri)} must be an absolute URI (scheme:...)`);
  }
  checkConfig(`resource ${uri}`, config, read);
  return Object.freeze({ uri, descriptor: describeForRevisions({ uri, ...metaFields(config) }), read });
}

/** Validates a template registration and precomputes its matcher. */
export function buildTemplateEntry(
  uriTemplate: string,
  config: ResourceTemplateConfig,
  read: TemplateReader,
): TemplateEntry {
  checkConfig(`resource template ${uriTemplate}`, config, read);
  for (const [variable, fn] of Object.entries(config.complete ?? {})) {
    if (typeof fn !== 'function') {
      throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `resource template ${uriTemplate}: complete.${variable} must be a function`);
    }
  }
  const template = new UriTemplate(uriTemplate);
  const fields = metaFields(config);
  delete fields.size;
  return Object.freeze({
    template,
    descriptor: describeForRevisions({ uriTemplate, ...fields }),
    read,
    complete: Object.freeze({ ...(config.complete ?? {}) }),
  });
}
