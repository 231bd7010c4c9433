/** VCF text out: the header as bcftools prints it, then records, written to a ByteSink in ~1 MiB pieces. */
import type { ByteSink } from '@genolake/core';
import type { Header } from '../header/header.js';
import { formatRecord } from '../record/format.js';
import type { VcfRecord } from '../record/record.js';

export class Writer {
  private text = '';
  /**
   * `columns`: sample indexes to print (all when absent), as `bcftools view -s`; `updateInfo`: the
   * records' INFO/AC and AN are recounted for them (VcsDataset.writeLines), so the header
   * declares both, as bcftools adds them.
   */
  constructor(private readonly sink: ByteSink, readonly header: Header, private readonly columns?: readonly number[], private readonly updateInfo = false) {}

  async writeHeader(): Promise<void> {
    const names = this.columns ? this.columns.map((i) => this.header.samples[i]!) : undefined;
    if (!this.updateInfo) { this.text += this.header.text(names); return; }
    const text = this.header.text(names);
    const cut = text.lastIndexOf('#CHROM');
    let added = '';
    if (!this.header.info.get('AC')?.declared) added += '##INFO=<ID=AC,Number=A,Type=Integer,Description="Allele count in genotypes">\n';
    if (!this.header.info.get('AN')?.declared) added += '##INFO=<ID=AN,Number=1,Type=Integer,Description="Total number of alleles in called genotypes">\n';
    this.text += text.slice(0, cut) + added + text.slice(cut);
  }

  async write(r: VcfRecord): Promise<void> {
    this.text += `${formatRecord(r, this.header, this.columns)}\n`;
    if (this.text.length >= 1 << 20) await this.flush();
  }

  /** Lines already formatted as bytes (VcsDataset.writeLines) go out after any buffered text. */
  async writeBytes(b: Uint8Array): Promise<void> {
    await this.flush();
    if (b.length) await this.sink.write(b);
  }

  async flush(): Promise<void> {
    if (!this.text) return;
    const t = this.text;
    this.text = '';
    await this.sink.write(Buffer.from(t, 'latin1'));
  }

  /** Writes what is buffered; the sink's owner ends the sink (ByteSink contract). */
  async end(): Promise<void> {
    await this.flush();
  }
}
