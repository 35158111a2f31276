import { mkdirSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringifyEnvInfo, type Writer } from 'allure-js-commons/sdk/reporter';

/**
 * allure-js-commons' FileSystemWriter fsyncs every file (through a temp file and a rename): about a
 * tenth of a run's wall time for a hundred files, for a durability a results folder that the next run
 * replaces does not need. This writes the same files with the same names and contents, plainly — all
 * at once (a run has hundreds: opening them one after another was a tenth of a run on loopback), and
 * `flush()` waits until every one is written, or rejects with the first that could not be.
 */
export class ResultsWriter implements Writer {
  private readonly writes: Array<Promise<void>> = [];

  constructor(private readonly resultsDir: string) {
    mkdirSync(resultsDir, { recursive: true });
  }

  async flush(): Promise<void> {
    await Promise.all(this.writes.splice(0));
  }

  writeResult(result: { uuid: string }): void {
    this.json(`${result.uuid}-result.json`, result);
  }

  writeGroup(result: { uuid: string }): void {
    this.json(`${result.uuid}-container.json`, result);
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    this.file(distFileName, content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    this.track(copyFile(from, join(this.resultsDir, distFileName)));
  }

  writeEnvironmentInfo(info: Record<string, string | undefined>): void {
    this.file('environment.properties', stringifyEnvInfo(info));
  }

  writeCategoriesDefinitions(categories: unknown[]): void {
    this.json('categories.json', categories);
  }

  writeGlobals(distFileName: string, info: unknown): void {
    this.json(distFileName, info);
  }

  private json(name: string, value: unknown): void {
    this.file(name, JSON.stringify(value));
  }

  private file(name: string, content: string | Buffer): void {
    this.track(writeFile(join(this.resultsDir, name), content));
  }

  private track(written: Promise<void>): void {
    // Seen by flush(); until then a failure must not count as unhandled.
    written.catch(() => {});
    this.writes.push(written);
  }
}
