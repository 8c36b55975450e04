/** The fixtures' schemas as zod shapes, for the official SDK and fastmcp (they take zod, we take JSON Schema). */
import { z } from 'zod';

/** echo's input. */
export const echoShape = { text: z.string().describe('The text to send back.') };

/** The wide tool's input, the zod twin of WIDE_SCHEMA. */
export const wideShape = {
  s1: z.string().min(1).max(64),
  s2: z.string().min(1).max(64),
  s3: z.string().optional(),
  s4: z.string().regex(/^[a-z]+$/).optional(),
  s5: z.enum(['red', 'green', 'blue']).optional(),
  n1: z.number().min(0).max(1000),
  n2: z.number().optional(),
  n3: z.number().min(-1).optional(),
  i1: z.number().int().min(0),
  i2: z.number().int().max(100).optional(),
  i3: z.number().int().optional(),
  b1: z.boolean(),
  b2: z.boolean().optional(),
  b3: z.boolean().optional(),
  a1: z.array(z.string()).max(10).optional(),
  a2: z.array(z.number()).optional(),
  o1: z.object({ x: z.number(), y: z.number() }),
  o2: z.object({ name: z.string().optional() }).optional(),
  e1: z.enum(['a', 'b', 'c', 'd']).optional(),
  t1: z.string().max(256).optional(),
};
