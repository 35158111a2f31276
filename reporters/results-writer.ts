import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringifyEnvInfo, type Writer } from 'allure-js-commons/sdk/reporter';

/**
 * allure-js-commons' FileSystemWriter fsyncs every file (through a temp file and a rename): about a
 * tenth of a run's wall time for a hundred files, for a durability a results folder that the next run
 * replaces does not need. This writes the same files with the same names and contents, plainly.
 */
export class ResultsWriter implements Writer {
  constructor(private readonly resultsDir: string) {
    mkdirSync(resultsDir, { recursive: true });
  }

  writeResult(result: { uuid: string }): void {
    this.json(`${result.uuid}-result.json`, result);
  }

  writeGroup(result: { uuid: string }): void {
    this.json(`${result.uuid}-container.json`, result);
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    writeFileSync(join(this.resultsDir, distFileName), content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    copyFileSync(from, join(this.resultsDir, distFileName));
  }

  writeEnvironmentInfo(info: Record<string, string | undefined>): void {
    writeFileSync(join(this.resultsDir, 'environment.properties'), stringifyEnvInfo(info));
  }

  writeCategoriesDefinitions(categories: unknown[]): void {
    this.json('categories.json', categories);
  }

  writeGlobals(distFileName: string, info: unknown): void {
    this.json(distFileName, info);
  }

  private json(name: string, value: unknown): void {
    writeFileSync(join(this.resultsDir, name), JSON.stringify(value));
  }
}
