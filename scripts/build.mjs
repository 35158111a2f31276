// `npm run build` (npm ci runs it): cli/main.ts → dist/, one ESM bundle split by command.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * Loaded only by the commands or cases that use them (Allure's generator and vitest for reports and
 * `--runner vitest`, swagger-parser when a spec is not in the validation cache): left as packages.
 * Everything else is bundled: undici, ajv, fast-check and js-yaml load on every run, and one file
 * each loads in a third of the time their hundreds of CommonJS modules take (issue 17, start-up).
 */
const EXTERNAL = ['allure', 'allure-js-commons', 'allure-vitest', '@apidevtools/swagger-parser', 'vitest'];

const root = new URL('..', import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['cli/main.ts'],
  entryNames: 'sdrs-conformance',
  outdir: 'dist',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL.flatMap((name) => [name, `${name}/*`]),
  // The bundled CommonJS packages require Node's built-ins, which an ES module can only do through createRequire.
  banner: { js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);' },
  logLevel: 'warning',
  minifyWhitespace: true,
  minifySyntax: true,
});
