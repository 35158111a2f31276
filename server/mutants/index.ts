import { ConformanceError } from '../../lib/errors.ts';
import { AUTHN_MUTANTS } from './authn.ts';
import { BOLA_MUTANTS } from './bola.ts';
import { CONCURRENCY_MUTANTS } from './concurrency.ts';
import { ERROR_BODIES_MUTANTS } from './error-bodies.ts';
import { IDS_MUTANTS } from './ids.ts';
import { METHODS_MUTANTS } from './methods.ts';
import { MISCONFIG_MUTANTS } from './misconfig.ts';
import type { Mutant } from './mutant-model.ts';
import { QUERY_MUTANTS } from './query.ts';
import { ROBUSTNESS_MUTANTS } from './robustness.ts';
import { STATE_MUTANTS } from './state.ts';
import { SUCCESS_MUTANTS } from './success.ts';

export { FAMILIES, type Handle, type Mutant, type MutantFamily } from './mutant-model.ts';

/**
 * Every mutant of the reference server, by family. test/mutation/mutation-matrix.test.ts runs the
 * suite against each one: a mutant added here that no check catches fails `npm test`.
 */
export const MUTANTS: readonly Mutant[] = [
  ...SUCCESS_MUTANTS,
  ...AUTHN_MUTANTS,
  ...BOLA_MUTANTS,
  ...IDS_MUTANTS,
  ...QUERY_MUTANTS,
  ...ERROR_BODIES_MUTANTS,
  ...METHODS_MUTANTS,
  ...CONCURRENCY_MUTANTS,
  ...MISCONFIG_MUTANTS,
  ...STATE_MUTANTS,
  ...ROBUSTNESS_MUTANTS,
];

/** The mutant by name; an unknown name is one CFG_USAGE line that lists the valid ones. */
export function mutantNamed(name: string): Mutant {
  const found = MUTANTS.find((m) => m.name === name);
  if (found) return found;
  throw new ConformanceError(
    'CFG_USAGE',
    `unknown mutant "${name}"; expected one of: ${MUTANTS.map((m) => m.name).join(', ')} (serve --list-mutants describes them)`,
  );
}

/** `serve --list-mutants`: one line each, grouped by family in list order. */
export function describeMutants(): string[] {
  const width = Math.max(...MUTANTS.map((m) => m.name.length));
  return [
    `${MUTANTS.length} mutants of the reference server, each breaking the contract in one way (serve --mutant NAME):`,
    ...MUTANTS.map((m) => `  ${m.name.padEnd(width)}  ${m.family.padEnd(12)}  ${m.description}`),
  ];
}
