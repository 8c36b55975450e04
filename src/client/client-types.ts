/**
 * The shapes the client reads and writes, as plain TypeScript types of the session-era schema (2025-03-26 ..
 * 2025-11-25). They are types only: answers are not validated against them at run time (no per-request schema pass,
 * DESIGN.md "The hot path"), so each keeps an index signature for the fields a newer revision adds.
 */
import type { JsonObject } from '../protocol/json-rpc.js';

/** Name and version of a client or server (`Implementation`). */
export interface Implementation {
  name: string;
  version: string;
  title?: string;
  [key: string]: unknown;
}

/** What a server offers (`ServerCapabilities`). */
export interface ServerCapabilities {
  tools?: { listChanged?: boolean };
  resources?: { subscribe?: boolean; listChanged?: boolean };
  prompts?: { listChanged?: boolean };
  logging?: JsonObject;
  completions?: JsonObject;
  [key: string]: unknown;
}

/** What a client offers (`ClientCapabilities`). */
export interface ClientCapabilities {
  sampling?: JsonObject;
  elicitation?: JsonObject;
  roots?: { listChanged?: boolean };
  [key: string]: unknown;
}

/** The answer to initialize. */
export interface InitializeResult {
  protocolVersion: string;
  capabilities: ServerCapabilities;
  serverInfo: Implementation;
  instructions?: string;
  [key: string]: unknown;
}

/** A paginated request's params. */
export interface PageParams {
  cursor?: string;
  _meta?: JsonObject;
}

/** A content block of a tool result, prompt message or sampling message. */
export interface ContentBlock {
  type: string;
  text?: string;
  [key: string]: unknown;
}

/** A tool description. */
export interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonObject;
  outputSchema?: JsonObject;
  annotations?: JsonObject;
  [key: string]: unknown;
}

/** A tools/list page. */
export interface ListToolsResult {
  tools: Tool[];
  nextCursor?: string;
  [key: string]: unknown;
}

/** tools/call params. */
export interface CallToolParams {
  name: string;
  arguments?: JsonObject;
  _meta?: JsonObject;
}

/** A tools/call result. */
export interface CallToolResult {
  content: ContentBlock[];
  structuredContent?: JsonObject;
  isError?: boolean;
  [key: string]: unknown;
}

/** A resource description. */
export interface Resource {
  uri: string;
  name: string;
  title?: string;
  mimeType?: string;
  [key: string]: unknown;
}

/** A resource template description. */
export interface ResourceTemplate {
  uriTemplate: string;
  name: string;
  title?: string;
  mimeType?: string;
  [key: string]: unknown;
}

/** A resources/list page. */
export interface ListResourcesResult {
  resources: Resource[];
  nextCursor?: string;
  [key: string]: unknown;
}

/** A resources/templates/list page. */
export interface ListResourceTemplatesResult {
  resourceTemplates: ResourceTemplate[];
  nextCursor?: string;
  [key: string]: unknown;
}

/** One item of a resources/read result: text or base64 blob. */
export interface ResourceContents {
  uri: string;
  mimeType?: string;
  text?: string;
  blob?: string;
  [key: string]: unknown;
}

/** A resources/read result. */
export interface ReadResourceResult {
  contents: ResourceContents[];
  [key: string]: unknown;
}

/** A prompt description. */
export interface Prompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
  [key: string]: unknown;
}

/** A prompts/list page. */
export interface ListPromptsResult {
  prompts: Prompt[];
  nextCursor?: string;
  [key: string]: unknown;
}

/** A prompts/get result. */
export interface GetPromptResult {
  description?: string;
  messages: { role: 'user' | 'assistant'; content: ContentBlock }[];
  [key: string]: unknown;
}

/** completion/complete params. */
export interface CompleteParams {
  ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string };
  argument: { name: string; value: string };
  context?: { arguments?: Record<string, string> };
}

/** A completion/complete result. */
export interface CompleteResult {
  completion: { values: string[]; total?: number; hasMore?: boolean };
  [key: string]: unknown;
}

/** Log levels (RFC 5424), as logging/setLevel and notifications/message name them. */
export type LoggingLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';

/** notifications/progress params. */
export interface ProgressNotification {
  progressToken: string | number;
  progress: number;
  total?: number;
  message?: string;
}

/** notifications/message params. */
export interface LoggingMessage {
  level: LoggingLevel;
  logger?: string;
  data: unknown;
}

/** sampling/createMessage params. */
export interface CreateMessageParams {
  messages: { role: 'user' | 'assistant'; content: ContentBlock | ContentBlock[] }[];
  maxTokens: number;
  systemPrompt?: string;
  [key: string]: unknown;
}

/** A sampling/createMessage result. */
export interface CreateMessageResult {
  role: 'assistant';
  content: ContentBlock;
  model: string;
  stopReason?: string;
  [key: string]: unknown;
}

/** elicitation/create params (form mode, or url mode on 2025-11-25). */
export interface ElicitParams {
  mode?: 'form' | 'url';
  message: string;
  requestedSchema?: JsonObject;
  url?: string;
  elicitationId?: string;
  [key: string]: unknown;
}

/** An elicitation/create result. */
export interface ElicitResult {
  action: 'accept' | 'decline' | 'cancel';
  content?: JsonObject;
  [key: string]: unknown;
}

/** A root the client exposes. */
export interface Root {
  uri: string;
  name?: string;
  [key: string]: unknown;
}
