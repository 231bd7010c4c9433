/**
 * The output formats of paf queries and exports. Kept apart from output.ts so that the driver's
 * metadata (which `genolake` reads to pick a driver) costs no import of the query code.
 */
export const OUTPUT_FORMATS: string[] = ['sam', 'bam', 'jsonl', 'arrow'];
