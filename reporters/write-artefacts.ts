import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { renderJunit } from './junit.ts';
import { renderSummaryHtml } from './summary-html.ts';
import { renderSummaryJson } from './summary-json.ts';
import { renderSummaryMarkdown } from './summary-markdown.ts';
import type { RunSummary } from './summary-model.ts';

interface ArtefactOptions {
  /** Where conformance-summary.{md,json,html} go; created when missing. */
  outDir: string;
  /** `--junit PATH`: also write JUnit XML there (relative to the working directory). Default: no JUnit. */
  junitPath?: string;
}

interface ArtefactPaths {
  markdown: string;
  json: string;
  html: string;
  junit: string | undefined;
}

/** Writes the sign-off artefacts of one summary; returns absolute paths, for the CLI to print. */
export async function writeArtefacts(summary: RunSummary, options: ArtefactOptions): Promise<ArtefactPaths> {
  const outDir = resolve(options.outDir);
  const paths: ArtefactPaths = {
    markdown: join(outDir, 'conformance-summary.md'),
    json: join(outDir, 'conformance-summary.json'),
    html: join(outDir, 'conformance-summary.html'),
    junit: options.junitPath ? resolve(options.junitPath) : undefined,
  };
  await mkdir(outDir, { recursive: true });
  await Promise.all([
    writeFile(paths.markdown, renderSummaryMarkdown(summary)),
    writeFile(paths.json, renderSummaryJson(summary)),
    writeFile(paths.html, renderSummaryHtml(summary)),
  ]);
  if (paths.junit) {
    await mkdir(dirname(paths.junit), { recursive: true });
    await writeFile(paths.junit, renderJunit(summary));
  }
  return paths;
}
