// Arrow conversion lives behind its own entry (`@genolake/core/arrow`): loading apache-arrow
// costs ~100 ms, which every CLI command would otherwise pay at start-up.
export { toArrow, toArrowTable } from './schema/arrow.js';
