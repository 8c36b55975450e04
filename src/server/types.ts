/**
 * The public types of the server API: what a tool, resource or prompt author writes and returns.
 *
 * Wire shapes follow the MCP 2025-11-25 schema (`shared/spec/2025-11-25/schema.json`). They are typed loosely
 * where the schema is open (`_meta`, annotations), so that authors can pass through what the spec allows.
 */
import type { JsonObject } from '../protocol/json-rpc.js';
import type { HandlerContext } from './handler-context.js';

/** An icon for a tool, resource, prompt or implementation (2025-11-25). */
export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: 'light' | 'dark';
}

/** Annotations on content and resources. */
export interface Annotations {
  audience?: ('user' | 'assistant')[];
  priority?: number;
  lastModified?: string;
}

/** Text content. */
export interface TextContent { type: 'text'; text: string; annotations?: Annotations; _meta?: JsonObject }
/** Image content, base64-encoded. */
export interface ImageContent { type: 'image'; data: string; mimeType: string; annotations?: Annotations; _meta?: JsonObject }
/** Audio content, base64-encoded. */
export interface AudioContent { type: 'audio'; data: string; mimeType: string; annotations?: Annotations; _meta?: JsonObject }
/** The contents of a resource, text or blob. */
export type ResourceContents =
  | { uri: string; mimeType?: string; text: string; _meta?: JsonObject }
  | { uri: string; mimeType?: string; blob: string; _meta?: JsonObject };
/** A resource embedded in content. */
export interface EmbeddedResource { type: 'resource'; resource: ResourceContents; annotations?: Annotations; _meta?: JsonObject }
/** A link to a resource (2025-06-18+). */
export interface ResourceLink {
  type: 'resource_link';
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: Annotations;
  /** 2025-11-25+; dropped for older peers. */
  icons?: Icon[];
  _meta?: JsonObject;
}
/** Any content block. */
export type ContentBlock = TextContent | ImageContent | AudioContent | EmbeddedResource | ResourceLink;

/** The result of tools/call. */
export interface CallToolResult {
  content: ContentBlock[];
  /**
   * Any JSON value under 2026-07-28 (an array, a string, null...); 2025-11-25 and 2025-06-18 clients get it only
   * when it is an object, which their schemas require.
   */
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: JsonObject;
}

/**
 * Cache hints of a registration, for 2026-07-28 list and read results (server/utilities/caching): `ttlMs` is how
 * long the result stays fresh (0: immediately stale), `scope` is `private` when it depends on who asks. Unset
 * fields take the server's `cache` option.
 */
export interface CacheHint {
  ttlMs?: number;
  scope?: 'public' | 'private';
}

/** Tool behaviour hints (untrusted, for display). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/**
 * A schema for tool input or output: a JSON Schema object, or a zod schema (turned into JSON Schema with
 * `z.toJSONSchema` at registration).
 */
export type SchemaInput = JsonObject | { readonly _zod: unknown };

/** What a tool handler may return: a full result, or a string that becomes one text block. */
export type ToolReturn = CallToolResult | string;

/** A tool's handler. `args` has passed the input schema. */
export type ToolHandler<A = JsonObject> = (args: A, ctx: HandlerContext) => ToolReturn | Promise<ToolReturn>;

/** How a tool is described at registration. */
export interface ToolConfig {
  title?: string;
  description?: string;
  /** JSON Schema (type "object") or zod; defaults to an object with no declared properties. */
  inputSchema?: SchemaInput;
  /**
   * When present, results carry `structuredContent` that conforms to it; a zod schema's output type is listed. Any
   * root type is allowed (2026-07-28); only a `type: "object"` one is listed to 2025-11-25 and 2025-06-18 clients,
   * whose schemas allow no other.
   */
  outputSchema?: SchemaInput;
  annotations?: ToolAnnotations;
  icons?: Icon[];
  _meta?: JsonObject;
  /** Cache hints of tools/list under 2026-07-28. */
  cache?: CacheHint;
}

/** Describes a fixed resource. */
export interface ResourceConfig {
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: Annotations;
  icons?: Icon[];
  _meta?: JsonObject;
  /** Cache hints of resources/list (or templates/list) and of reading this resource under 2026-07-28. */
  cache?: CacheHint;
}

/** Reads a fixed resource. */
export type ResourceReader = (uri: string, ctx: HandlerContext) => ResourceContents[] | Promise<ResourceContents[]>;

/**
 * Reads a resource that matched a template, with the template's variables. When there is no such resource it throws
 * `new WireError(ErrorCode.ResourceNotFound, ...)`; returning no contents array is answered -32603, a server fault.
 */
export type TemplateReader = (
  uri: string,
  variables: Record<string, string>,
  ctx: HandlerContext,
) => ResourceContents[] | Promise<ResourceContents[]>;

/** Suggests completions for one argument, given its partial value and the other arguments already resolved. */
export type CompleteFn = (
  value: string,
  context: { arguments: Record<string, string> },
) => string[] | Promise<string[]>;

/** Describes a resource template (RFC 6570). */
export interface ResourceTemplateConfig extends ResourceConfig {
  /** Completion of template variables, by variable name. */
  complete?: Record<string, CompleteFn>;
}

/** One argument of a prompt. */
export interface PromptArgument {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
  /** Completion of this argument's value. */
  complete?: CompleteFn;
}

/** Describes a prompt. */
export interface PromptConfig {
  title?: string;
  description?: string;
  arguments?: PromptArgument[];
  icons?: Icon[];
  _meta?: JsonObject;
  /** Cache hints of prompts/list under 2026-07-28. */
  cache?: CacheHint;
}

/** One message of a prompt. */
export interface PromptMessage {
  role: 'user' | 'assistant';
  content: ContentBlock;
}

/** The result of prompts/get. */
export interface GetPromptResult {
  description?: string;
  messages: PromptMessage[];
  _meta?: JsonObject;
}

/** Renders a prompt from its arguments. */
export type PromptHandler = (
  args: Record<string, string>,
  ctx: HandlerContext,
) => GetPromptResult | Promise<GetPromptResult>;

/** Server identity, sent in the initialize result. */
export interface Implementation {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  icons?: Icon[];
}
