/**
 * What evaluation and pruning read, independent of the on-disk layout: decoded columns of a
 * row range (`RowSource`) and column statistics of a row group (`StatsSource`). The dataset
 * reader implements both over its files, so a new sample layout changes only the reader.
 */

/** Decoded values of one column over the rows of a range (null = missing). */
export type ColumnData = ArrayLike<unknown>;

export interface RowSource {
  readonly rows: number;
  /** A site column; undefined when the part does not have it (every row missing). */
  site(column: string): Promise<ColumnData | undefined>;
  /** One column per sample of the dataset for FORMAT key `key` (undefined: that sample column is absent). */
  format(key: string): Promise<(ColumnData | undefined)[]>;
}

/** Min/max statistics of a column over some rows. Absent min/max: unknown (e.g. text-typed vectors). */
export interface ColumnStats {
  /** Smallest and largest element, when the column holds one comparable element per row. */
  min?: number | string;
  max?: number | string;
  /** Rows whose value is missing. */
  nulls: number;
  rows: number;
  /**
   * The range of many values per row (a FORMAT key over a batch's samples): min/max bound every
   * sample's value and `nulls` counts rows where no sample has one, so a row may still hold
   * missing samples (query/prune.ts judges only comparisons with it).
   */
  union?: boolean;
}

export interface StatsSource {
  /** Statistics of a site column; `absent` when the part does not have it; undefined when unknown. */
  site(column: string): ColumnStats | 'absent' | undefined;
  /** Per-sample statistics of FORMAT key `key`; undefined when unknown. */
  format(key: string): (ColumnStats | 'absent')[] | undefined;
}
