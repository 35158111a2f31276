import { lstatSync, mkdirSync, readdirSync, realpathSync, rmdirSync, unlinkSync, writeFileSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { inlineTerminalText } from './text/terminal-text.ts';
import { ConformanceError } from './errors.ts';

/**
 * Output folders (`run`/`merge --results-dir`, `report --report-dir`) are emptied before they are
 * written — but only of files this tool writes. A folder holding anything else, or one a person
 * lives in (/, the home folder, the working directory and its ancestors), is refused and left as is.
 */
export type OutputKind = 'allure-results' | 'allure-report';

/** Written into every folder we prepare: says whose it is. Folders from older runs lack it and are still ours. */
export const MARKER_FILE = '.sdrs-conformance-output';
const MARKER_TEXT = 'Written by sdrs-conformance. The next run empties this folder of its own files; it refuses to run if anything else is here.\n';

/** What a folder of ours may hold: files by name, and subfolders with their own rules. */
interface FolderRules {
  files: readonly RegExp[];
  folders: ReadonlyArray<readonly [name: RegExp, rules: FolderRules]>;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const MD5 = '[0-9a-f]{32}';
/** Extensions allure-js-commons maps content types to (`.txt`, `.json`, `.hprof.txt`, `.n-gage`, …). */
const EXT = '(?:\\.[A-Za-z0-9_+-]+)*';
const MARKER = /^\.sdrs-conformance-output$/;

/**
 * The files Allure results consist of, as allure-js-commons' writers name them (FileSystemWriter,
 * and reporters/results-writer.ts with the same names): `${uuid}-result.json`, `-container.json`,
 * `-globals.json`, `${uuid}-attachment${ext}`, and the run-wide files. `merge` copies exactly these.
 */
export const ALLURE_RESULT_FILES: readonly RegExp[] = [
  new RegExp(`^${UUID}-(?:result|container|globals)\\.json$`),
  new RegExp(`^${UUID}-attachment${EXT}$`),
  /^environment\.properties$/,
  /^categories\.json$/,
  /^executor\.json$/,
];

const RESULTS: FolderRules = {
  files: [
    ...ALLURE_RESULT_FILES,
    // FileSystemWriter (allure-vitest) writes through a temp file; a killed run leaves it behind.
    new RegExp(`^\\.allure-write-${UUID}\\.tmp$`),
    // --summary-dir may be the results dir: the sign-off files and the shard record are ours too.
    /^conformance-summary\.(?:md|json|html)$/,
    /^conformance-outcomes\.json$/,
    MARKER,
  ],
  folders: [],
};

const JSON_FILE = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.json$/;
const flat = (...files: RegExp[]): FolderRules => ({ files, folders: [] });

/** What Allure 3's generator with the awesome plugin writes (allure 3.x: core/report.js, plugin-awesome/generators.js). */
const REPORT_PLUGIN: FolderRules = {
  files: [
    /^index\.html$/,
    /^(?:summary|test-results|quality-gate|artifacts)\.json$/,
    new RegExp(`^${UUID}-perf\\.json$`),
    // The page's static assets, named by content hash (app-b3323b2606f19801ef1b.js and its licence file).
    /^[A-Za-z0-9_-]+-[0-9a-f]{20}\.(?:js|css|woff2?|ttf)(?:\.LICENSE\.txt)?$/,
    MARKER,
  ],
  folders: [
    [
      /^data$/,
      {
        files: [],
        folders: [
          [/^(?:test-results|test-env-groups)$/, flat(new RegExp(`^${MD5}\\.json$`))],
          [/^attachments$/, flat(new RegExp(`^${MD5}${EXT}$`))],
          [/^history$/, flat(new RegExp(`^${UUID}\\.json$`))],
        ],
      },
    ],
    // Widgets, and per environment (`default`) the same widgets again.
    [/^widgets$/, { files: [JSON_FILE], folders: [[/^[A-Za-z0-9_.-]+$/, flat(JSON_FILE)]] }],
  ],
};

/** Allure writes a plugin's report into `awesome/` and moves it up at the end: an interrupted one stays there. */
const REPORT: FolderRules = { files: REPORT_PLUGIN.files, folders: [...REPORT_PLUGIN.folders, [/^awesome$/, REPORT_PLUGIN]] };

const RULES: Record<OutputKind, FolderRules> = { 'allure-results': RESULTS, 'allure-report': REPORT };

export type EntryType = 'file' | 'folder' | 'symlink' | 'other';

/** One thing found in the folder; `path` is relative to it, `/`-separated, parents before children. */
export interface FolderEntry {
  path: string;
  type: EntryType;
}

/** Everything the decision needs, gathered by `inspect` (the only I/O of the decision). */
export interface FolderFacts {
  kind: OutputKind;
  /** Absolute and with symlinks resolved, as are `cwd` and `home`. */
  dir: string;
  state: 'missing' | 'folder' | 'not-a-folder';
  entries: FolderEntry[];
  cwd: string;
  home: string;
  /** Files directly in the folder that this command writes anyway (e.g. --junit inside it). */
  alsoOurs?: readonly string[];
}

export type RefusalReason = 'root' | 'home' | 'cwd' | 'contains-cwd' | 'contains-home' | 'not-a-folder' | 'foreign';

export type Judgement =
  /** Files to delete, then folders to remove (deepest first); both empty for a missing or empty folder. */
  { kind: 'empty'; files: string[]; folders: string[] } | { kind: 'refuse'; reason: RefusalReason; entry?: FolderEntry };

/** Pure: may this folder be emptied, and of what? */
export function judgeOutputFolder(facts: FolderFacts): Judgement {
  const { dir, cwd, home } = facts;
  if (parse(dir).root === dir) return { kind: 'refuse', reason: 'root' };
  if (dir === home) return { kind: 'refuse', reason: 'home' };
  if (dir === cwd) return { kind: 'refuse', reason: 'cwd' };
  if (isInside(cwd, dir)) return { kind: 'refuse', reason: 'contains-cwd' };
  if (isInside(home, dir)) return { kind: 'refuse', reason: 'contains-home' };
  if (facts.state === 'not-a-folder') return { kind: 'refuse', reason: 'not-a-folder' };
  const files: string[] = [];
  const folders: string[] = [];
  for (const entry of facts.entries) {
    const slash = entry.path.lastIndexOf('/');
    const parent = rulesAt(RULES[facts.kind], entry.path.slice(0, Math.max(slash, 0)));
    const name = entry.path.slice(slash + 1);
    const ours =
      entry.type === 'file'
        ? (parent?.files.some((p) => p.test(name)) ?? false) || (slash < 0 && (facts.alsoOurs ?? []).includes(name))
        : entry.type === 'folder' && parent?.folders.some(([p]) => p.test(name)) === true;
    if (!ours) return { kind: 'refuse', reason: 'foreign', entry };
    (entry.type === 'file' ? files : folders).push(entry.path);
  }
  return { kind: 'empty', files, folders: folders.reverse() };
}

/** The rules of a subfolder of ours ('' = the folder itself), or undefined when it is not one. */
function rulesAt(top: FolderRules, path: string): FolderRules | undefined {
  let rules: FolderRules | undefined = top;
  for (const name of path ? path.split('/') : []) rules = rules?.folders.find(([p]) => p.test(name))?.[1];
  return rules;
}

/** Whether `path` lies strictly inside `folder` (both absolute). */
function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

export function isInsideOrSame(path: string, folder: string): boolean {
  return path === folder || isInside(path, folder);
}

export interface OutputFolder {
  /** The flag that named it, for the message: `--results-dir`. */
  option: string;
  path: string;
  kind: OutputKind;
  /** Files this command writes into the folder anyway (e.g. `--junit` inside it): ours too. */
  alsoWrites?: ReadonlyArray<string | undefined>;
}

/** Throws CFG_UNSAFE_OUTPUT unless the folder may be emptied; deletes nothing. Call it before any work. */
export function checkOutputFolder(folder: OutputFolder): void {
  decide(folder);
}

/**
 * Checks again (the folder may have changed since), deletes our files one by one — never the folder
 * tree wholesale — creates the folder with its marker, and returns its absolute path.
 */
export function prepareOutputFolder(folder: OutputFolder): string {
  const { facts, judgement } = decide(folder);
  for (const [parent, names] of byParent(judgement.files)) {
    // A subfolder swapped for a symlink since the check must not lead the deletes elsewhere.
    if (!isRealFolderChain(facts.dir, parent))
      throw refusal(folder, facts.dir, { kind: 'refuse', reason: 'foreign', entry: { path: parent, type: 'symlink' } });
    for (const name of names) ignoreMissing(() => unlinkSync(join(facts.dir, parent, name)));
  }
  for (const path of judgement.folders) {
    try {
      ignoreMissing(() => rmdirSync(join(facts.dir, path)));
    } catch {
      // Something appeared in it since the check: leave it, say so.
      throw refusal(folder, facts.dir, { kind: 'refuse', reason: 'foreign', entry: { path, type: 'folder' } });
    }
  }
  mkdirSync(facts.dir, { recursive: true });
  writeFileSync(join(facts.dir, MARKER_FILE), MARKER_TEXT);
  return facts.dir;
}

function decide(folder: OutputFolder): { facts: FolderFacts; judgement: Extract<Judgement, { kind: 'empty' }> } {
  const facts = inspect(folder);
  const judgement = judgeOutputFolder(facts);
  if (judgement.kind === 'refuse') throw refusal(folder, facts.dir, judgement);
  return { facts, judgement };
}

/** Reads what the decision needs. Never follows a symlink inside the folder; descends only into subfolders of ours. */
function inspect(folder: OutputFolder): FolderFacts {
  const given = resolve(folder.path);
  const base = { kind: folder.kind, cwd: real(process.cwd()), home: real(homedir()), alsoOurs: alsoOurs(given, folder.alsoWrites) };
  let dir: string;
  try {
    dir = realpathSync.native(given);
  } catch {
    return { ...base, dir: given, state: 'missing', entries: [] };
  }
  if (!lstatSync(dir).isDirectory()) return { ...base, dir, state: 'not-a-folder', entries: [] };
  const entries: FolderEntry[] = [];
  const walk = (path: string, rules: FolderRules): void => {
    const dirents = readdirSync(join(dir, path), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const dirent of dirents) {
      const child = path ? `${path}/${dirent.name}` : dirent.name;
      const type = entryType(dirent);
      entries.push({ path: child, type });
      const sub = type === 'folder' ? rules.folders.find(([p]) => p.test(dirent.name))?.[1] : undefined;
      if (sub) walk(child, sub);
    }
  };
  walk('', RULES[folder.kind]);
  return { ...base, dir, state: 'folder', entries };
}

function entryType(dirent: Dirent): EntryType {
  if (dirent.isSymbolicLink()) return 'symlink';
  if (dirent.isDirectory()) return 'folder';
  return dirent.isFile() ? 'file' : 'other';
}

function alsoOurs(dir: string, files: OutputFolder['alsoWrites']): string[] {
  return (files ?? []).flatMap((file) => {
    if (!file) return [];
    const rel = relative(dir, resolve(file));
    return rel && !rel.includes(sep) && rel !== '..' ? [rel] : [];
  });
}

function byParent(files: string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const slash = file.lastIndexOf('/');
    const parent = slash < 0 ? '' : file.slice(0, slash);
    groups.set(parent, [...(groups.get(parent) ?? []), file.slice(slash + 1)]);
  }
  return groups;
}

/** Every folder from `dir` down to `dir/path` is still a folder, not a symlink. */
function isRealFolderChain(dir: string, path: string): boolean {
  const names = path ? path.split('/') : [];
  return names.every((_, i) => {
    try {
      return lstatSync(join(dir, ...names.slice(0, i + 1))).isDirectory();
    } catch {
      return false;
    }
  });
}

function ignoreMissing(action: () => void): void {
  try {
    action();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function real(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}

const WHAT: Record<EntryType, string> = { file: 'the file', folder: 'the folder', symlink: 'the symlink', other: 'the special file' };

const PROTECTED: Record<Exclude<RefusalReason, 'foreign'>, string> = {
  root: 'is the root folder',
  home: 'is your home folder',
  cwd: 'is the working directory',
  'contains-cwd': 'contains the working directory',
  'contains-home': 'contains your home folder',
  'not-a-folder': 'is a file, not a folder',
};

/** One line: the folder, the first thing emptying it would have destroyed, and what to do instead. */
function refusal(folder: OutputFolder, dir: string, judgement: Extract<Judgement, { kind: 'refuse' }>): ConformanceError {
  const where = `${folder.option} ${inlineTerminalText(dir)}`;
  const todo = `Nothing was deleted — choose an empty or new folder (e.g. ${folder.option} ${folder.kind})`;
  if (judgement.reason !== 'foreign')
    return new ConformanceError('CFG_UNSAFE_OUTPUT', `${where} ${PROTECTED[judgement.reason]}: this tool never empties it. ${todo}.`);
  const entry = judgement.entry as FolderEntry;
  const name = inlineTerminalText(entry.path, 200);
  return new ConformanceError(
    'CFG_UNSAFE_OUTPUT',
    `${where} holds ${WHAT[entry.type]} ${name}, which sdrs-conformance did not write: emptying the folder would destroy it. ${todo}, or move ${name} out of it.`,
  );
}
