import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { judgeOutputFolder, MARKER_FILE, prepareOutputFolder, type FolderEntry, type FolderFacts, type Judgement } from '../../lib/output-folder.ts';
import { OUTCOMES_FILE } from '../../lib/run/outcomes-file.ts';
import { runCli, type CliResult } from '../support/cli.ts';
import { fileTempDir } from '../support/temp-dir.ts';

const UUID = '0b6c1f0e-2a7d-4c1e-9f3a-5d8e7c6b4a21';
const UUID2 = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
const MD5 = '04489901cfbb80e7da3c8d7285b89d77';

describe('judgeOutputFolder (pure): which folders may be emptied, and of what', () => {
  const at = (kind: FolderFacts['kind'], entries: Array<[string, FolderEntry['type']]>, extra: Partial<FolderFacts> = {}): FolderFacts => ({
    kind,
    dir: '/srv/out/allure',
    state: 'folder',
    entries: entries.map(([path, type]) => ({ path, type })),
    cwd: '/srv/project',
    home: '/home/qa',
    ...extra,
  });
  const empty = (files: string[], folders: string[] = []): Judgement => ({ kind: 'empty', files, folders });
  const refuse = (reason: Extract<Judgement, { kind: 'refuse' }>['reason'], entry?: [string, FolderEntry['type']]): Judgement =>
    entry ? { kind: 'refuse', reason, entry: { path: entry[0], type: entry[1] } } : { kind: 'refuse', reason };

  test.for<[string, { given: FolderFacts; want: Judgement }]>([
    ['a missing folder: nothing to delete', { given: at('allure-results', [], { state: 'missing' }), want: empty([]) }],
    ['an empty folder', { given: at('allure-results', []), want: empty([]) }],
    [
      'a previous run’s results, summary and marker',
      {
        given: at('allure-results', [
          [`${UUID}-result.json`, 'file'],
          [`${UUID}-container.json`, 'file'],
          [`${UUID}-globals.json`, 'file'],
          [`${UUID2}-attachment.txt`, 'file'],
          [`${UUID2}-attachment`, 'file'],
          [`.allure-write-${UUID}.tmp`, 'file'],
          ['environment.properties', 'file'],
          ['categories.json', 'file'],
          ['executor.json', 'file'],
          ['conformance-summary.html', 'file'],
          [OUTCOMES_FILE, 'file'],
          [MARKER_FILE, 'file'],
        ]),
        want: empty([
          `${UUID}-result.json`,
          `${UUID}-container.json`,
          `${UUID}-globals.json`,
          `${UUID2}-attachment.txt`,
          `${UUID2}-attachment`,
          `.allure-write-${UUID}.tmp`,
          'environment.properties',
          'categories.json',
          'executor.json',
          'conformance-summary.html',
          OUTCOMES_FILE,
          MARKER_FILE,
        ]),
      },
    ],
    [
      'the --junit file this run writes there',
      { given: at('allure-results', [['junit.xml', 'file']], { alsoOurs: ['junit.xml'] }), want: empty(['junit.xml']) },
    ],
    [
      'an unrelated file',
      {
        given: at('allure-results', [
          [`${UUID}-result.json`, 'file'],
          ['notes.txt', 'file'],
        ]),
        want: refuse('foreign', ['notes.txt', 'file']),
      },
    ],
    [
      'a result-like name without a UUID',
      { given: at('allure-results', [['thesis-result.json', 'file']]), want: refuse('foreign', ['thesis-result.json', 'file']) },
    ],
    ['a subfolder in results', { given: at('allure-results', [['data', 'folder']]), want: refuse('foreign', ['data', 'folder']) }],
    [
      'a symlink named like a result',
      { given: at('allure-results', [[`${UUID}-result.json`, 'symlink']]), want: refuse('foreign', [`${UUID}-result.json`, 'symlink']) },
    ],
    ['a socket or fifo', { given: at('allure-results', [['categories.json', 'other']]), want: refuse('foreign', ['categories.json', 'other']) }],
    [
      'a previous Allure report, deepest folders removed first',
      {
        given: at('allure-report', [
          ['app-b3323b2606f19801ef1b.js', 'file'],
          ['app-b3323b2606f19801ef1b.js.LICENSE.txt', 'file'],
          ['awesome', 'folder'],
          ['awesome/index.html', 'file'],
          ['data', 'folder'],
          ['data/attachments', 'folder'],
          [`data/attachments/${MD5}.txt`, 'file'],
          ['data/history', 'folder'],
          [`data/history/${UUID}.json`, 'file'],
          ['index.html', 'file'],
          ['summary.json', 'file'],
          ['widgets', 'folder'],
          ['widgets/default', 'folder'],
          ['widgets/default/tree.json', 'file'],
          ['widgets/tree-filters.json', 'file'],
        ]),
        want: empty(
          [
            'app-b3323b2606f19801ef1b.js',
            'app-b3323b2606f19801ef1b.js.LICENSE.txt',
            'awesome/index.html',
            `data/attachments/${MD5}.txt`,
            `data/history/${UUID}.json`,
            'index.html',
            'summary.json',
            'widgets/default/tree.json',
            'widgets/tree-filters.json',
          ],
          ['widgets/default', 'widgets', 'data/history', 'data/attachments', 'data', 'awesome'],
        ),
      },
    ],
    [
      'a report with a stranger in data/',
      {
        given: at('allure-report', [
          ['data', 'folder'],
          ['data/notes.txt', 'file'],
        ]),
        want: refuse('foreign', ['data/notes.txt', 'file']),
      },
    ],
    [
      'a report with a script among the widgets',
      {
        given: at('allure-report', [
          ['widgets', 'folder'],
          ['widgets/default', 'folder'],
          ['widgets/default/run.sh', 'file'],
        ]),
        want: refuse('foreign', ['widgets/default/run.sh', 'file']),
      },
    ],
    [
      'a report folder with an unknown subfolder',
      {
        given: at('allure-report', [
          ['index.html', 'file'],
          ['src', 'folder'],
        ]),
        want: refuse('foreign', ['src', 'folder']),
      },
    ],
    [
      'results files in a report folder',
      { given: at('allure-report', [[`${UUID}-result.json`, 'file']]), want: refuse('foreign', [`${UUID}-result.json`, 'file']) },
    ],
    ['/, even empty', { given: at('allure-results', [], { dir: '/' }), want: refuse('root') }],
    ['the home folder, even empty', { given: at('allure-results', [], { dir: '/home/qa' }), want: refuse('home') }],
    ['the working directory, even empty', { given: at('allure-results', [], { dir: '/srv/project' }), want: refuse('cwd') }],
    ['a folder above the working directory', { given: at('allure-results', [], { dir: '/srv' }), want: refuse('contains-cwd') }],
    ['a folder above the home folder', { given: at('allure-results', [], { dir: '/home' }), want: refuse('contains-home') }],
    ['a file given as the folder', { given: at('allure-results', [], { state: 'not-a-folder' }), want: refuse('not-a-folder') }],
    ['a sibling of the working directory whose name starts the same', { given: at('allure-results', [], { dir: '/srv/project-results' }), want: empty([]) }],
    ['a folder inside the working directory', { given: at('allure-results', [], { dir: '/srv/project/allure-results' }), want: empty([]) }],
  ])('%s', ([, { given, want }]) => {
    expect(judgeOutputFolder(given)).toEqual(want);
  });
});

const work = fileTempDir('output');

/** A fresh folder under `work` holding the given files (path → content). */
function folderWith(name: string, files: Record<string, string> = {}): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function expectRefused(result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stdout + result.stderr).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).toMatch(/choose an empty or new folder/);
  // Refused before any work: no case ran.
  expect(result.stdout).not.toMatch(/^(PASS|FAIL)/m);
}

describe('the commands refuse to empty a folder that is not theirs', () => {
  test('run --results-dir with unrelated files: exit 2, the file named, every file intact', async () => {
    const dir = folderWith('thesis', { 'chapter1.md': 'four years of work', [`${UUID}-result.json`]: '{}', 'notes/todo.txt': 'finish' });
    const run = await runCli(['run', '--results-dir', dir, '--summary-dir', join(work, 'thesis-summary')], { cwd: work });
    expectRefused(run, new RegExp(`^CFG_UNSAFE_OUTPUT: --results-dir ${dir} holds the file chapter1\\.md, which sdrs-conformance did not write`));
    expect(readFileSync(join(dir, 'chapter1.md'), 'utf8')).toBe('four years of work');
    expect(readFileSync(join(dir, `${UUID}-result.json`), 'utf8')).toBe('{}');
    expect(readFileSync(join(dir, 'notes', 'todo.txt'), 'utf8')).toBe('finish');
    expect(existsSync(join(work, 'thesis-summary'))).toBe(false);
  });

  test('run --results-dir .. from a subfolder: the folder above the working directory is never emptied', async () => {
    const parent = folderWith('parent', { 'keep.txt': 'parent file' });
    const cwd = folderWith('parent/sub');
    const run = await runCli(['run', '--results-dir', '..'], { cwd });
    expectRefused(run, new RegExp(`^CFG_UNSAFE_OUTPUT: --results-dir ${parent} contains the working directory`));
    expect(readFileSync(join(parent, 'keep.txt'), 'utf8')).toBe('parent file');
    expect(readdirSync(cwd)).toEqual([]);
  });

  test('run --results-dir "$PWD": the working directory is never emptied', async () => {
    const cwd = folderWith('pwd', { 'package.json': '{"name":"mine"}' });
    const run = await runCli(['run', '--results-dir', cwd], { cwd });
    expectRefused(run, new RegExp(`^CFG_UNSAFE_OUTPUT: --results-dir ${cwd} is the working directory`));
    expect(readdirSync(cwd)).toEqual(['package.json']);
  });

  test('run --results-dir ~: the home folder is never emptied, even when empty', async () => {
    const home = folderWith('home');
    const run = await runCli(['run', '--results-dir', home], { cwd: work, env: { HOME: home } });
    expectRefused(run, new RegExp(`^CFG_UNSAFE_OUTPUT: --results-dir ${home} is your home folder`));
    expect(readdirSync(home)).toEqual([]);
  });

  test('a symlink inside, named like a result and pointing outside: refused, its target intact', async () => {
    const outside = folderWith('outside', { id_ed25519: 'PRIVATE KEY' });
    const dir = folderWith('linked');
    symlinkSync(join(outside, 'id_ed25519'), join(dir, `${UUID}-result.json`));
    const run = await runCli(['run', '--results-dir', dir], { cwd: work });
    expectRefused(run, new RegExp(`holds the symlink ${UUID}-result\\.json`));
    expect(readFileSync(join(outside, 'id_ed25519'), 'utf8')).toBe('PRIVATE KEY');
  });

  test('merge --results-dir with unrelated files: refused before any shard is read', async () => {
    const dir = folderWith('merge-target', { 'budget.xlsx': 'numbers' });
    const merge = await runCli(['merge', '--from', join(work, 'no-such-shard'), '--results-dir', dir, '--summary-dir', join(work, 'merge-summary')], {
      cwd: work,
    });
    expectRefused(merge, /^CFG_UNSAFE_OUTPUT: --results-dir .* holds the file budget\.xlsx/);
    expect(readFileSync(join(dir, 'budget.xlsx'), 'utf8')).toBe('numbers');
  });

  test('report --report-dir with unrelated files: refused, nothing generated', async () => {
    const dir = folderWith('site', { 'index.html': '<h1>my site</h1>', 'about/index.html': 'about me' });
    const report = await runCli(
      ['report', '--results-dir', folderWith('no-results'), '--report-dir', dir, '--history', join(work, 'site-history', 'history.jsonl')],
      { cwd: work },
    );
    expectRefused(report, /^CFG_UNSAFE_OUTPUT: --report-dir .* holds the folder about, which sdrs-conformance did not write/);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe('<h1>my site</h1>');
    expect(readFileSync(join(dir, 'about', 'index.html'), 'utf8')).toBe('about me');
  });

  test('run --shard with its results outside its summary dir: a usage error before any request', async () => {
    const run = await runCli(['run', '--shard', '1/2', '--summary-dir', join(work, 's1'), '--results-dir', join(work, 'r1')], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^CFG_USAGE: with --shard, --results-dir must lie inside --summary-dir: .* e\.g\. --summary-dir shard1 --results-dir shard1\/allure-results\n$/,
    );
    expect(existsSync(join(work, 's1'))).toBe(false);
  });
});

describe('folders of our own artefacts are emptied and rewritten', () => {
  /** One real run, its summary and results in one shard folder: the material the tests below reuse. */
  const shard = join(work, 'shard');
  beforeAll(async () => {
    const run = await runCli(['run', '--summary-dir', shard, '--results-dir', join(shard, 'allure-results')], { cwd: work });
    expect(run.code, run.stderr).toBe(0);
  });

  const resultFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('-result.json'));

  test('run --results-dir holding a previous run’s files (no marker yet): emptied, rewritten, exit 0', async () => {
    const dir = join(work, 'rerun');
    cpSync(join(shard, 'allure-results'), dir, { recursive: true });
    rmSync(join(dir, MARKER_FILE));
    writeFileSync(join(dir, 'executor.json'), '{"name":"an old CI build"}');
    const before = resultFiles(dir);
    const run = await runCli(['run', '--results-dir', dir, '--summary-dir', dir], { cwd: work });
    expect(run.code, run.stderr).toBe(0);
    const after = resultFiles(dir);
    expect(after).toHaveLength(before.length);
    expect(after.filter((f) => before.includes(f))).toEqual([]);
    expect(existsSync(join(dir, 'executor.json'))).toBe(false);
    expect(readdirSync(dir)).toContain(MARKER_FILE);
    // The summary may share the folder: the next run accepts it too.
    expect(readdirSync(dir)).toContain('conformance-summary.json');
  });

  test('report --report-dir holding a previous report: replaced; a stranger added to it: refused and kept', async () => {
    const dir = join(work, 'allure-report');
    const history = join(work, 'report-history', 'history.jsonl');
    const args = ['report', '--results-dir', join(shard, 'allure-results'), '--report-dir', dir, '--history', history];
    const first = await runCli(args, { cwd: work });
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expectRefused(await runCli(args, { cwd: work }), /holds the file notes\.txt/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    rmSync(join(dir, 'notes.txt'));
    const again = await runCli(args, { cwd: work });
    expect(again.code, again.stderr).toBe(0);
    // The single-file report: one index.html holds data and scripts.
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['index.html', MARKER_FILE]));
  });

  describe('merge reads only inside the --from folders', () => {
    const secrets = folderWith('secrets', { [`${UUID}-result.json`]: '{"aws_secret_access_key":"CANARY"}' });
    /** A copy of the shard whose record's resultsDir is edited (or whose results folder is replaced). */
    function editedShard(name: string, edit: (record: Record<string, unknown>, folder: string) => void): string {
      const folder = join(work, name);
      cpSync(shard, folder, { recursive: true });
      const file = join(folder, OUTCOMES_FILE);
      const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      edit(record, folder);
      writeFileSync(file, JSON.stringify(record));
      return folder;
    }

    test('the record names its results relative to the shard folder', () => {
      expect(JSON.parse(readFileSync(join(shard, OUTCOMES_FILE), 'utf8'))).toMatchObject({ resultsDir: 'allure-results' });
    });

    test.for<[string, (record: Record<string, unknown>, folder: string) => void]>([
      ['a relative path climbing out', (record) => (record.resultsDir = '../secrets')],
      ['an absolute path elsewhere', (record) => (record.resultsDir = secrets)],
      [
        'a results folder that is a symlink out',
        (record, folder) => {
          rmSync(join(folder, 'allure-results'), { recursive: true });
          symlinkSync(secrets, join(folder, 'allure-results'));
          record.resultsDir = 'allure-results';
        },
      ],
    ])('%s: exit 2, nothing copied', async ([name, edit]) => {
      const from = editedShard(`escape-${name.replaceAll(' ', '-')}`, edit);
      const out = join(work, `merged-${name.replaceAll(' ', '-')}`);
      const merge = await runCli(['merge', '--from', from, '--results-dir', out, '--summary-dir', out], { cwd: work });
      expect(merge.code).toBe(2);
      expect(merge.stderr.trim().split('\n')).toHaveLength(1);
      expect(merge.stderr).toMatch(
        new RegExp(`^CFG_INVALID: .*${OUTCOMES_FILE}#/resultsDir: .* outside --from .*; merge reads only inside the --from folders`),
      );
      expect(existsSync(out)).toBe(false);
    });

    test.for<[string, { edit: (record: Record<string, unknown>) => void; pointer: string }]>([
      [
        'a wrong type',
        {
          edit: (record) => ((record.outcomes as Array<Record<string, unknown>>)[0]!.status = 'maybe'),
          pointer: '#/outcomes/0/status: must be equal to one of the allowed values',
        },
      ],
      ['a missing field', { edit: (record) => delete record.resultsDir, pointer: "#: must have required property 'resultsDir'" }],
      ['a control character in a path', { edit: (record) => (record.resultsDir = 'allure-results\u001b[2J'), pointer: '#/resultsDir: must match pattern' }],
    ])('an outcomes file with %s fails its schema: exit 2 naming the file and the pointer', async ([name, { edit, pointer }]) => {
      const from = editedShard(`invalid-${name.replaceAll(' ', '-')}`, edit);
      const out = join(work, `merged-invalid-${name.replaceAll(' ', '-')}`);
      const merge = await runCli(['merge', '--from', from, '--results-dir', out, '--summary-dir', out], { cwd: work });
      expect(merge.code).toBe(2);
      expect(merge.stderr.trim().split('\n')).toHaveLength(1);
      expect(merge.stderr).toContain(`CFG_INVALID: ${join(from, OUTCOMES_FILE)}${pointer}`);
      expect(existsSync(out)).toBe(false);
    });

    test('of a shard folder, only Allure result files are copied: no symlink, no subfolder, no stranger', async () => {
      const from = editedShard('cluttered', () => {});
      const results = join(from, 'allure-results');
      symlinkSync(join(secrets, `${UUID}-result.json`), join(results, `${UUID2}-result.json`));
      folderWith('cluttered/allure-results/nested', { [`${UUID}-result.json`]: '{}' });
      writeFileSync(join(results, 'notes.txt'), 'not a result');
      const out = join(work, 'merged-cluttered');
      const merge = await runCli(['merge', '--from', from, '--results-dir', out, '--summary-dir', out], { cwd: work });
      expect(merge.code, merge.stderr).toBe(0);
      const copied = readdirSync(out);
      expect(copied).not.toContain(`${UUID2}-result.json`);
      expect(copied).not.toContain(`${UUID}-result.json`);
      expect(copied).not.toContain('notes.txt');
      expect(copied).not.toContain('nested');
      expect(resultFiles(out)).toEqual(
        resultFiles(results)
          .filter((f) => f !== `${UUID2}-result.json`)
          .sort(),
      );
      expect(readFileSync(join(secrets, `${UUID}-result.json`), 'utf8')).toContain('CANARY');
    });

    test('merge into a shard’s own results folder is refused: it would be emptied before it is read', async () => {
      const merge = await runCli(['merge', '--from', shard, '--results-dir', join(shard, 'allure-results'), '--summary-dir', join(work, 'self-merge')], {
        cwd: work,
      });
      expect(merge.code).toBe(2);
      expect(merge.stderr).toMatch(/^CFG_USAGE: --results-dir .* is the results folder of the shard in .*; merging into it would empty it/);
      expect(resultFiles(join(shard, 'allure-results')).length).toBeGreaterThan(0);
    });
  });
});

describe('prepareOutputFolder (in process)', () => {
  test('an interrupted report (Allure’s awesome/ still there) is emptied file by file; the folder and its marker remain', () => {
    const dir = folderWith('interrupted', { 'awesome/index.html': 'x', [`awesome/data/attachments/${MD5}.txt`]: 'y', 'widgets/default/tree.json': '{}' });
    expect(prepareOutputFolder({ option: '--report-dir', path: dir, kind: 'allure-report' })).toBe(dir);
    expect(readdirSync(dir)).toEqual([MARKER_FILE]);
  });

  test('a stranger deep in a report folder stops it before anything is deleted', () => {
    const dir = folderWith('deep', { 'index.html': 'old report', [`data/attachments/${MD5}.txt`]: 'y', 'data/attachments/passwords.kdbx': 'vault' });
    expect(() => prepareOutputFolder({ option: '--report-dir', path: dir, kind: 'allure-report' })).toThrow(
      /holds the file data\/attachments\/passwords\.kdbx/,
    );
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe('old report');
    expect(readFileSync(join(dir, 'data', 'attachments', 'passwords.kdbx'), 'utf8')).toBe('vault');
  });

  test('a file name with a terminal escape is shown inert, on one line', () => {
    const dir = folderWith('escapes', { 'evil\u001b[2J\nname': 'x' });
    expect(() => prepareOutputFolder({ option: '--results-dir', path: dir, kind: 'allure-results' })).toThrow('holds the file evil\\x1b[2J\\nname,');
  });
});
