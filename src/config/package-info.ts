/**
 * The package's own name and version, read from package.json at run time rather than imported: package.json sits
 * outside the compiled `rootDir`, and this module lies two levels under the package root both in `src/` and in
 * `dist/`, so one relative path serves the sources under tsx and the build.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { name: string; version: string };

/** The npm package name (`erlmcp`). */
export const PACKAGE_NAME: string = pkg.name;

/** The npm package version, which is also the server's default `serverInfo.version`. */
export const PACKAGE_VERSION: string = pkg.version;
