/** Failures sorted by cause; used by the reporter (categories.json) and the Allure 3 config (its report reads only that). */
export const CATEGORIES = [
  { name: 'Contract violation', matchedStatuses: ['failed'], messageRegex: '^\\[' },
  { name: 'Transport / environment error', matchedStatuses: ['failed', 'broken'], messageRegex: '^transport error.*' },
  { name: 'Not provokable on this target', matchedStatuses: ['skipped'], messageRegex: '^No case made .*' },
  { name: 'Held back by the safety guard', matchedStatuses: ['skipped'], messageRegex: '^Needs \\d+ jobs this run may delete.*' },
  { name: 'Not run: the run stopped early (Ctrl-C, run deadline)', matchedStatuses: ['skipped'], messageRegex: '^not run: .*' },
];
