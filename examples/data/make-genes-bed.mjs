#!/usr/bin/env node
// Regenerates genes.bed: deterministic, gene-like BED6 intervals (sorted by contig, then start)
// for the quick start and the tests. Run: node examples/data/make-genes-bed.mjs > examples/data/genes.bed
// Contig lengths are GRCh38's; gene lengths are log-normal-ish like real genes (1 kb .. ~200 kb).

const CONTIGS = [
  ['chr1', 248956422], ['chr2', 242193529], ['chr3', 198295559], ['chr4', 190214555], ['chr5', 181538259],
  ['chr6', 170805979], ['chr7', 159345973], ['chr8', 145138636], ['chr9', 138394717], ['chr10', 133797422],
  ['chr11', 135086622], ['chr12', 133275309], ['chr13', 114364328], ['chr14', 107043718], ['chr15', 101991189],
  ['chr16', 90338345], ['chr17', 83257441], ['chr18', 80373285], ['chr19', 58617616], ['chr20', 64444167],
  ['chr21', 46709983], ['chr22', 50818468], ['chrX', 156040895], ['chrY', 57227415],
];
const TOTAL_GENES = 3000;

// Small LCG so the file is identical on every platform and Node version.
let seed = 20240611;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);

const genomeLength = CONTIGS.reduce((n, [, len]) => n + len, 0);
const lines = [];
let serial = 1;
for (const [contig, length] of CONTIGS) {
  const count = Math.max(8, Math.round((TOTAL_GENES * length) / genomeLength));
  const genes = [];
  for (let i = 0; i < count; i++) {
    const span = Math.round(1000 * Math.exp(rand() * 5.3)); // 1 kb .. 200 kb
    const start = Math.floor(rand() * (length - span));
    genes.push([start, start + span]);
  }
  genes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [start, end] of genes) {
    const name = `GL${String(serial++).padStart(5, '0')}`;
    const score = Math.floor(rand() * 1001);
    const strand = rand() < 0.5 ? '+' : '-';
    lines.push(`${contig}\t${start}\t${end}\t${name}\t${score}\t${strand}`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
