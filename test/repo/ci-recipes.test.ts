import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';

/**
 * docs/ci.md is copied into pipelines as it stands: every YAML block must parse (duplicate keys
 * included, which js-yaml refuses), have the shape its CI reads, and every sdrs-conformance command in
 * it may use only flags that command has.
 */
const PAGE = readFileSync(new URL('../../docs/ci.md', import.meta.url), 'utf8');
const blocks = (language: string) => [...PAGE.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map(([, body]) => body as string);

type Doc = Record<string, unknown>;
const yamlDocs = blocks('yaml').map((text) => yaml.load(text) as Doc);
const [githubShards, gitlab, githubClient] = yamlDocs as [Doc, Doc, Doc];
const [jenkinsfile = ''] = blocks('groovy');

describe('docs/ci.md', () => {
  test('holds the three YAML recipes and the Jenkinsfile', () => {
    expect(yamlDocs.length).toBe(3);
    expect(blocks('groovy').length).toBe(1);
  });

  test('GitHub Actions: a shard matrix, then a job that merges, publishes and keeps the history', () => {
    const jobs = githubShards.jobs as Record<'shard' | 'report', Doc>;
    expect(Object.keys(jobs)).toEqual(['shard', 'report']);
    expect((jobs.shard.strategy as Doc).matrix).toEqual({ shard: [1, 2] });
    expect(jobs.report.needs).toBe('shard');
    const uses = (jobs.report.steps as Doc[]).map((s) => s.uses ?? s.name);
    expect(uses).toEqual(expect.arrayContaining(['actions/cache/restore@v4', 'actions/cache/save@v4', 'actions/upload-artifact@v4', 'Allure report']));
    // Secrets only through the environment, from the secret store.
    for (const step of jobs.shard.steps as Doc[]) expect(String(step.run ?? '')).not.toMatch(/secrets\./);
    const env = (jobs.shard.steps as Doc[]).find((s) => String(s.run ?? '').includes('sdrs-conformance run'))?.env as Doc;
    expect(env.HUAWEICLOUD_SDK_SK).toMatch(/^\$\{\{ secrets\.HUAWEICLOUD_SDK_SK \}\}$/);
  });

  test('GitLab CI: parallel shards, a merge job with the JUnit report and a cached history', () => {
    expect(gitlab.stages).toEqual(['conformance', 'report']);
    expect((gitlab.conformance as Doc).parallel).toBe(2);
    const report = gitlab.report as Doc;
    expect(((report.artifacts as Doc).reports as Doc).junit).toBe('junit.xml');
    expect((report.cache as Doc).paths).toEqual(['.allure-history/']);
  });

  test('the client-team recipe starts serve and waits for its banner', () => {
    const steps = (githubClient.jobs as Record<'integration', Doc>).integration.steps as Doc[];
    expect(steps.map((s) => String(s.run ?? '')).join('\n')).toMatch(/sdrs-conformance serve --port 8080[\s\S]*listening on/);
  });

  test('the Jenkinsfile: balanced braces, brackets and parentheses; JUnit, HTML report and history kept', () => {
    const code = jenkinsfile.replace(/'[^'\n]*'|"[^"\n]*"/g, "''");
    for (const [open, close] of [
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
    ] as const)
      expect(code.split(open).length, open).toBe(code.split(close).length);
    expect(jenkinsfile).toMatch(/^pipeline \{/);
    for (const step of ["junit 'junit.xml'", 'publishHTML', 'withCredentials', '.allure-history/**']) expect(jenkinsfile).toContain(step);
  });

  test('every sdrs-conformance command uses only flags it has', async () => {
    const commands = [...PAGE.matchAll(/sdrs-conformance (run|serve|report|merge)\b([^\n']*)/g)].map(([, command, rest]) => ({
      command: command as string,
      flags: [...(rest as string).matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map(([, flag]) => flag as string),
    }));
    expect(new Set(commands.map((c) => c.command))).toEqual(new Set(['run', 'serve', 'report', 'merge']));
    const help = Object.fromEntries(
      await Promise.all(['run', 'serve', 'report', 'merge'].map(async (command) => [command, (await runCli([command, '--help'])).stdout] as const)),
    );
    for (const { command, flags } of commands)
      for (const flag of flags) expect(help[command], `${command} ${flag}`).toMatch(new RegExp(`^\\s+${flag}\\b`, 'm'));
  });
});
