/**
 * A long-lived reader of one vcs dataset version: what a service answering many queries holds.
 * The manifest and header are read once (`VariantsHandle.open`), and the marker-major index
 * pages once decoded, so "all samples at one marker" on a marker-major dataset is one ranged get
 * (the marker's block) per markers object instead of manifest + index page + block. The CLI
 * opens a dataset per command and does not need this.
 *
 * A handle stays on the version it opened (objects are immutable, so the caches never go stale);
 * `refresh()` moves it to the newest version.
 */
import { InvalidArgumentError, type ByteSink, type Host, type ObjectStore, type QueryRequest, type QueryResult } from '@genolake/core';
import { markersObjects, owners, readObjectMarkers, type PageCache } from './markers.js';
import { runQuery } from './output.js';
import { VcsDataset } from './reader.js';

/** One site's values for all (or the chosen) samples. */
export interface MarkerValues {
  contig: string;
  pos: number;
  id: string;
  ref: string;
  alt: string;
  /** Sample names, in the order of each key's values. */
  samples: string[];
  /** Per key, one value per sample: Integer/Float a number (an array when the sample has several), GT and strings as text, a set Flag true, null when missing. */
  values: Map<string, unknown[]>;
}

export class VariantsHandle {
  private readonly pages = new Map<string, PageCache>();
  private everyone?: number[];
  private everyName?: string[];
  /** owners() of all samples per markers objects and keys (a 1,000-sample scan cost a marker query ~15 µs). */
  private readonly allOwners = new Map<string, Int32Array>();

  private constructor(readonly store: ObjectStore, readonly host: Host, private ds: VcsDataset) {}

  static async open(store: ObjectStore, host: Host, options: { version?: number } = {}): Promise<VariantsHandle> {
    return new VariantsHandle(store, host, await VcsDataset.open(store, options.version));
  }

  /** The dataset this handle reads. */
  get dataset(): VcsDataset {
    return this.ds;
  }

  /** Moves to the newest version (caches of objects still listed stay valid: objects never change). */
  async refresh(): Promise<void> {
    this.ds = await VcsDataset.open(this.store);
    this.everyone = undefined;
    this.everyName = undefined;
    this.allOwners.clear();
  }

  private pageCache = (key: string): PageCache => {
    let c = this.pages.get(key);
    if (!c) this.pages.set(key, (c = new Map()));
    return c;
  };

  /** `genolake query` on this handle's version (the request's `version` is ignored). */
  query(request: QueryRequest, output: ByteSink, format: string, signal?: AbortSignal): Promise<QueryResult> {
    return runQuery({ host: this.host, store: this.store, output, request, format, dataset: this.ds, markerPages: this.pageCache, ...(signal ? { signal } : {}) });
  }

  /**
   * All samples' (or `samples`') values of `keys` at the sites starting at `contig:pos` (1-based),
   * from the markers objects of a marker-major dataset. A dataset converted without
   * `layout=marker-major`, or keys it did not put in the markers objects, are an error (use `query`).
   */
  async marker(contig: string, pos: number, options: { keys?: string[]; samples?: string[]; signal?: AbortSignal } = {}): Promise<MarkerValues[]> {
    const have = this.ds.meta.markerKeys ?? [];
    const keys = options.keys ?? have;
    const missing = keys.filter((k) => !have.includes(k));
    if (!have.length || missing.length) {
      throw new InvalidArgumentError(`${this.store.url}: ${have.length ? `FORMAT/${missing.join(', FORMAT/')} is not in the markers objects (they hold ${have.join(', ')})` : 'the dataset has no markers objects (convert with --option layout=marker-major)'}; use query()`);
    }
    const wanted = options.samples ? this.ds.sampleIndexes(options.samples) : (this.everyone ??= this.ds.sampleIndexes());
    const names = options.samples ? wanted.map((s) => this.ds.header.samples[s]!) : (this.everyName ??= [...this.ds.header.samples]);
    const zstd = this.host.getCodec('zstd');
    const signal = options.signal;
    const out: MarkerValues[] = [];
    for (const part of this.ds.parts(this.store, this.host, { regions: [{ contig, start: pos - 1, end: pos }] })) {
      const objects = markersObjects(part.markers);
      const found = await Promise.all(objects.map((o) => readObjectMarkers(this.store, o, this.ds.header, zstd, [{ start: pos, end: pos }], this.pageCache(o.key), signal)));
      // which markers object holds each wanted sample (once per part, not per key)
      let owner: Int32Array | undefined;
      if (options.samples) owner = owners(objects, wanted, keys);
      else {
        const k = `${objects.map((o) => o.key).join('\n')}\t${keys.join(',')}`;
        owner = this.allOwners.get(k);
        if (!owner) this.allOwners.set(k, (owner = owners(objects, wanted, keys)));
      }
      (found[0] ?? []).forEach((m, row) => {
        if (m.pos !== pos) return; // a deletion before pos that overlaps it
        const values = new Map<string, unknown[]>();
        for (const key of keys) {
          const rows = found.map((f) => f[row]?.rows.get(key));
          const col = new Array<unknown>(wanted.length);
          // runs of consecutive samples in one object (all samples: one run per object)
          for (let j = 0; j < wanted.length;) {
            const o = owner[j]!;
            let k = j + 1;
            while (k < wanted.length && owner[k] === o && wanted[k] === wanted[k - 1]! + 1) k++;
            const c = o >= 0 ? rows[o] : undefined;
            if (c) c.plainInto(col, j, wanted[j]! - objects[o]!.sampleFrom, k - j);
            else col.fill(null, j, k);
            j = k;
          }
          values.set(key, col);
        }
        out.push({ contig, pos: m.pos, id: m.id, ref: m.ref, alt: m.alt, samples: names, values });
      });
    }
    return out;
  }
}
