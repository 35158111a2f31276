import { ConformanceError } from '../../lib/errors.ts';
import { ERROR_BODY_VARIANTS } from './error-bodies.ts';
import { GATEWAY_VARIANTS } from './gateway.ts';
import { IDS_VARIANTS } from './ids.ts';
import { LIST_VARIANTS } from './list.ts';
import type { Variant } from './variant-model.ts';
import { WIRE_VARIANTS } from './wire.ts';

export type { Variant } from './variant-model.ts';

/**
 * Every faithful variant of the reference server. test/mutation/mutation-matrix.test.ts runs the
 * suite against each one as against an endpoint: a variant the suite does not call CONFORMANT is a
 * false positive and fails `npm test`.
 */
export const VARIANTS: readonly Variant[] = [...IDS_VARIANTS, ...GATEWAY_VARIANTS, ...ERROR_BODY_VARIANTS, ...WIRE_VARIANTS, ...LIST_VARIANTS];

/** The variant by name; an unknown name is one CFG_USAGE line that lists the valid ones. */
export function variantNamed(name: string): Variant {
  const found = VARIANTS.find((v) => v.name === name);
  if (found) return found;
  throw new ConformanceError(
    'CFG_USAGE',
    `unknown variant "${name}"; expected one of: ${VARIANTS.map((v) => v.name).join(', ')} (serve --list-variants describes them)`,
  );
}

/** How to run the suite against a variant: its run flags, or a note that it needs none. */
export const runFlagsOf = (variant: Variant) => (variant.runFlags.length ? variant.runFlags.join(' ') : '(no extra flags)');

/** `serve --list-variants`: one line each, with the run flags a client needs. */
export function describeVariants(): string[] {
  const width = Math.max(...VARIANTS.map((v) => v.name.length));
  const flagsWidth = Math.max(...VARIANTS.map((v) => runFlagsOf(v).length));
  return [
    `${VARIANTS.length} faithful variants of the reference server, each a correct server that differs where the doc or the gateway allows (serve --variant NAME; run with the flags shown):`,
    ...VARIANTS.map((v) => `  ${v.name.padEnd(width)}  ${runFlagsOf(v).padEnd(flagsWidth)}  ${v.description}`),
  ];
}
