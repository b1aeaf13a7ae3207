// The types of validators.js, which scripts/gen-schemas.ts generates (Ajv standalone code
// compiled from schema.ts): each check is an Ajv validate function.
import type { ValidateFunction } from 'ajv';

export declare const checkScenario: ValidateFunction;
export declare const checkFrontMatter: ValidateFunction;
export declare const checkLibrary: ValidateFunction;
