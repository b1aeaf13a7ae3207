// The report stage: results rendered for people (Markdown) and programs (JSON).
export { renderMarkdown, scenarioSection, runTable, count } from './markdown.ts';
export { jsonReport, scenarioJson, toJsonText } from './json.ts';
export { Names, endingText, stepText, warningText } from './describe.ts';
export { herdBlock, herdStates, litmusVerdict } from './herd.ts';
export { renderJunit, type InputError } from './junit.ts';
export { renderText } from './text.ts';
export { checksOf, type Check } from './checks.ts';
