import { onTestFinished } from 'vitest';
import { startReferenceServer, type RunningServer } from '../../server/http-server.ts';
import { loadSeed, type Seed } from '../../server/seed.ts';

export const seed: Seed = loadSeed();
export const [projectA, projectB] = seed.projects as [Seed['projects'][0], Seed['projects'][0]];

/** A reference server on a free loopback port, closed when the test ends. */
export async function referenceServer(options: { scenarios?: boolean } = {}): Promise<RunningServer> {
  const server = await startReferenceServer({ seed, scenarios: options.scenarios ?? false });
  onTestFinished(() => server.close());
  return server;
}

export const tokenArgs = (url: string) => [
  'run',
  '--endpoint',
  url,
  '--project-id',
  projectA.projectId,
  '--token',
  projectA.tokens[0]!,
  '--other-project-id',
  projectB.projectId,
  '--other-token',
  projectB.tokens[0]!,
];

export const akskArgs = (url: string) => [
  'run',
  '--endpoint',
  url,
  '--project-id',
  projectA.projectId,
  '--ak',
  projectA.aksk[0]!.ak,
  '--sk',
  projectA.aksk[0]!.sk,
  '--other-project-id',
  projectB.projectId,
  '--other-ak',
  projectB.aksk[0]!.ak,
  '--other-sk',
  projectB.aksk[0]!.sk,
];
