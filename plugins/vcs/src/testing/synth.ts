/** A seeded synthetic VCF: declared header, several contigs, multi-allelic sites, missing values, phased/unphased/haploid GT. */
export function synthVcf(o: { records: number; samples: number; seed?: number; contigs?: string[] }): string {
  let seed = o.seed ?? 1;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
  const contigs = o.contigs ?? ['chr1', 'chr2', 'chrX'];
  const names = Array.from({ length: o.samples }, (_, i) => `S${String(i + 1).padStart(5, '0')}`);
  let s = '##fileformat=VCFv4.3\n';
  for (const c of contigs) s += `##contig=<ID=${c},length=100000000>\n`;
  s += '##FILTER=<ID=q10,Description="Quality below 10">\n##FILTER=<ID=s50,Description="Less than 50% of samples">\n';
  s += '##INFO=<ID=DP,Number=1,Type=Integer,Description="Depth">\n##INFO=<ID=AF,Number=A,Type=Float,Description="Allele frequency">\n';
  s += '##INFO=<ID=DB,Number=0,Type=Flag,Description="dbSNP">\n##INFO=<ID=END,Number=1,Type=Integer,Description="End">\n##INFO=<ID=NOTE,Number=1,Type=String,Description="Note">\n';
  s += '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">\n';
  s += '##FORMAT=<ID=GQ,Number=1,Type=Float,Description="Quality">\n##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n';
  s += `#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t${names.join('\t')}\n`;
  const per = Math.ceil(o.records / contigs.length);
  for (const c of contigs) {
    let pos = 1 + rnd(1000);
    for (let i = 0; i < per; i++) {
      pos += 1 + rnd(3000);
      const nAlt = 1 + (rnd(10) === 0 ? rnd(3) : 0);
      const ref = rnd(8) === 0 ? 'ACGT'.slice(0, 2 + rnd(3)) : 'ACGT'[rnd(4)]!;
      const alts = Array.from({ length: nAlt }, (_, k) => (k === 0 && rnd(30) === 0 ? '<DEL>' : 'TGCA'[rnd(4)]! + (rnd(6) === 0 ? 'A' : '')));
      const qual = rnd(10) === 0 ? '.' : (rnd(100000) / 100).toString();
      const filter = ['PASS', 'PASS', 'q10', 'q10;s50', '.'][rnd(5)]!;
      const info: string[] = [`DP=${rnd(500)}`];
      if (rnd(3)) info.push(`AF=${alts.map(() => (rnd(1000) / 1000).toString()).join(',')}`);
      if (rnd(4) === 0) info.push('DB');
      if (alts[0] === '<DEL>') info.push(`END=${pos + 50 + rnd(5000)}`);
      if (rnd(5) === 0) info.push(`NOTE=n${rnd(9)}`);
      let line = `${c}\t${pos}\t${rnd(3) === 0 ? `rs${rnd(1e6)}` : '.'}\t${ref}\t${alts.join(',')}\t${qual}\t${filter}\t${info.join(';')}\tGT:DP:GQ:AD`;
      for (let k = 0; k < o.samples; k++) {
        const a = (): string => (rnd(20) === 0 ? '.' : String(rnd(nAlt + 1) && rnd(2) ? rnd(nAlt + 1) : 0));
        const gt = c === 'chrX' && k % 2 ? a() : `${a()}${rnd(3) ? '/' : '|'}${a()}`;
        const v = rnd(12);
        line += `\t${gt}`;
        if (v === 0) continue;
        line += `:${rnd(10) === 0 ? '.' : rnd(60)}:${rnd(10) === 0 ? '.' : (rnd(9999) / 100).toString()}`;
        if (v > 1) line += `:${Array.from({ length: nAlt + 1 }, () => (rnd(15) === 0 ? '.' : String(rnd(40)))).join(',')}`;
      }
      s += `${line}\n`;
    }
  }
  return s;
}
