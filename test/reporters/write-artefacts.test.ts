import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { buildSummary } from '../../reporters/summary-model.ts';
import { writeArtefacts } from '../../reporters/write-artefacts.ts';
import { summaryInput } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'sdrs-artefacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const summary = buildSummary(summaryInput());

test('writes the three summaries into a new directory and returns their paths', async () => {
  const paths = await writeArtefacts(summary, { outDir: join(dir, 'out', 'nested') });
  expect(paths).toEqual({
    markdown: join(dir, 'out', 'nested', 'conformance-summary.md'),
    json: join(dir, 'out', 'nested', 'conformance-summary.json'),
    html: join(dir, 'out', 'nested', 'conformance-summary.html'),
    junit: undefined,
  });
  expect(JSON.parse(readFileSync(paths.json, 'utf8')).verdict).toBe('NOT CONFORMANT');
  expect(readFileSync(paths.markdown, 'utf8')).toMatch(/^# SDRS conformance: NOT CONFORMANT/);
  expect(readFileSync(paths.html, 'utf8')).toContain('<h1>NOT CONFORMANT</h1>');
});

test('JUnit only when asked, where asked', async () => {
  const paths = await writeArtefacts(summary, { outDir: join(dir, 'with-junit'), junitPath: join(dir, 'ci', 'junit.xml') });
  expect(paths.junit).toBe(join(dir, 'ci', 'junit.xml'));
  expect(readFileSync(paths.junit!, 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  expect(existsSync(join(dir, 'with-junit', 'junit.xml'))).toBe(false);
});
