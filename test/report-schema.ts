// The committed JSON report schema (schema/report.schema.json), compiled once for the
// tests that hold reports against it.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

export const REPORT_SCHEMA_FILE = 'schema/report.schema.json';
export const committedReportSchema = JSON.parse(readFileSync(REPORT_SCHEMA_FILE, 'utf8'));
export const validateReport = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(committedReportSchema);
