/**
 * Field names of the `--where` and `--fields` languages, resolved against the dataset header:
 * the fixed columns CHROM POS ID REF ALT QUAL FILTER, `INFO/<ID>` (or a bare INFO ID) and
 * `FORMAT/<ID>` (or `FMT/<ID>`). A field knows its column in the dataset and its element type.
 */
import type { Header } from '../header/header.js';
import { infoColumn } from '../dataset/columns.js';

/** What one element of a field's value is. `filter` is FILTER's set of names. */
export type ElementType = 'string' | 'int' | 'float' | 'flag' | 'filter';

export interface FieldRef {
  /** Canonical name: `QUAL`, `INFO/DP`, `FORMAT/GT`. */
  name: string;
  /** `site`: one value per record; `format`: one value per sample. */
  scope: 'site' | 'format';
  /** Site column name (`POS`, `INFO_DP`), or the FORMAT key for `format` fields. */
  column: string;
  type: ElementType;
  /** VCF Number (`1`, `A`, `.`…); `1` for the fixed columns other than ALT and FILTER. */
  number: string;
  /** `INFO/AF[1]`: only that element (0-based). */
  index?: number;
}

const FIXED: Record<string, [ElementType, string]> = {
  CHROM: ['string', '1'], POS: ['int', '1'], ID: ['string', '1'], REF: ['string', '1'],
  ALT: ['string', '.'], QUAL: ['float', '1'], FILTER: ['filter', '.'],
};
export const FIXED_FIELDS = Object.keys(FIXED);

const typeOf = (t: string): ElementType => (t === 'Integer' ? 'int' : t === 'Float' ? 'float' : t === 'Flag' ? 'flag' : 'string');

/**
 * The field `name` refers to, or a sentence saying why it is not one. `undeclared` lists
 * `INFO/X` / `FORMAT/X` fields the records use without a header line (typed String).
 */
export function resolveField(name: string, header: Header, undeclared: readonly string[] = []): FieldRef | string {
  const fixed = FIXED[name];
  if (fixed) return { name, scope: 'site', column: name, type: fixed[0], number: fixed[1] };
  const slash = name.indexOf('/');
  const prefix = slash < 0 ? 'INFO' : name.slice(0, slash).toUpperCase();
  const id = slash < 0 ? name : name.slice(slash + 1);
  if (prefix === 'INFO' || prefix === 'INF') {
    const def = header.info.get(id);
    if (def) return { name: `INFO/${id}`, scope: 'site', column: infoColumn(id), type: typeOf(def.type), number: def.number };
    if (undeclared.includes(`INFO/${id}`)) return { name: `INFO/${id}`, scope: 'site', column: infoColumn(id), type: 'string', number: '.' };
    return slash < 0 ? `unknown field "${name}"` : `INFO/${id} is not declared in the dataset's header`;
  }
  if (prefix === 'FORMAT' || prefix === 'FMT') {
    const def = header.format.get(id);
    if (def) return { name: `FORMAT/${id}`, scope: 'format', column: id, type: typeOf(def.type), number: def.number };
    if (undeclared.includes(`FORMAT/${id}`)) return { name: `FORMAT/${id}`, scope: 'format', column: id, type: 'string', number: '.' };
    return `FORMAT/${id} is not declared in the dataset's header`;
  }
  return `unknown field "${name}"`;
}
