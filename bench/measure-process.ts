import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ProcessRun {
  /** performance.now() at spawn, on this process's clock. */
  startedAt: number;
  /** Spawn to exit, as the caller of a CLI experiences it. */
  wallMs: number;
  /** When the verdict line reached stdout; wall − this is the time the process took to exit after it. */
  verdictAtMs: number | undefined;
  exitCode: number | null;
  /** Peak resident set (kB): GNU time's %M (getrusage), else the last VmHWM read from /proc. */
  peakRssKb: number;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
/** Output kept per stream; a 100-operation run prints a few hundred kB. */
const MAX_OUTPUT = 4 * 1024 * 1024;

/**
 * Runs `node <args>` in `cwd` and measures it from the outside. Killed (with its process group) after
 * `timeoutMs`, so a hung run cannot hang the benchmark.
 */
export function runNode(args: string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<ProcessRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'sdrs-bench-time-'));
  const rssFile = join(scratch, 'rss');
  const viaTime = existsSync(GNU_TIME);
  const command = viaTime ? GNU_TIME : process.execPath;
  const argv = viaTime ? ['-f', '%M', '-o', rssFile, process.execPath, ...args] : args;
  const started = performance.now();
  const child = spawn(command, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  let verdictAtMs: number | undefined;
  let polledHwm = 0;
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    if (stdout.length < MAX_OUTPUT) stdout += text;
    // The tail, not just this chunk: the line may arrive split across two.
    if (verdictAtMs === undefined && /Verdict: /.test(stdout.slice(-text.length - 16))) verdictAtMs = performance.now() - started;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < MAX_OUTPUT) stderr += text;
  });
  const poll = viaTime ? undefined : setInterval(() => (polledHwm = Math.max(polledHwm, vmHwm(child.pid))), 5);
  const killer = setTimeout(() => {
    stderr += `\n[bench] killed after ${options.timeoutMs} ms`;
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(killer);
      if (poll) clearInterval(poll);
      const peakRssKb = viaTime ? rssFromTime(rssFile) : polledHwm;
      rmSync(scratch, { recursive: true, force: true });
      resolve({ startedAt: started, wallMs, verdictAtMs, exitCode: code, peakRssKb, stdout, stderr });
    });
  });
}

function rssFromTime(file: string): number {
  try {
    // The last line: a killed child makes GNU time write a "Command terminated" line first.
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    return Number(lines[lines.length - 1]);
  } catch {
    return Number.NaN;
  }
}

function vmHwm(pid: number | undefined): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** "30 cases: 30 passed, …" from the CLI's last lines. */
function casesOf(stdout: string): number | undefined {
  const match = /^(\d+) cases: /m.exec(stdout);
  return match ? Number(match[1]) : undefined;
}

function verdictOf(stdout: string): string | undefined {
  return /Verdict: ([A-Z_]+)/.exec(stdout)?.[1];
}

const BIN = new URL('../bin/sdrs-conformance.js', import.meta.url).pathname;

export interface CliRun extends ProcessRun {
  cases: number | undefined;
  verdict: string | undefined;
  /** conformance-summary.json run.durationMs: runner start to summary (the part latency can touch). */
  summaryDurationMs: number;
}

/**
 * `node bin/sdrs-conformance.js run <args>` in a fresh temp directory (its cwd, results and summary
 * dirs), with the target's environment variables removed so only the flags decide.
 */
export async function runCli(args: string[], options: { timeoutMs: number }): Promise<CliRun> {
  const cwd = mkdtempSync(join(tmpdir(), 'sdrs-bench-cli-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(SDRS_|HUAWEICLOUD_|HTTPS?_PROXY$|https?_proxy$)/.test(name)));
  try {
    const run = await runNode([BIN, 'run', ...args, '--results-dir', join(cwd, 'results'), '--summary-dir', cwd], { cwd, timeoutMs: options.timeoutMs, env });
    return { ...run, cases: casesOf(run.stdout), verdict: verdictOf(run.stdout), summaryDurationMs: summaryDurationIn(cwd) };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** run.durationMs of the conformance-summary.json in `dir`; NaN when there is none. */
export function summaryDurationIn(dir: string): number {
  try {
    return (JSON.parse(readFileSync(join(dir, 'conformance-summary.json'), 'utf8')) as { run: { durationMs: number } }).run.durationMs;
  } catch {
    return Number.NaN;
  }
}
