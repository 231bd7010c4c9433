/**
 * Names, summaries and help of the paf commands: what the plugin registers at load time. The
 * implementations (commands/<name>.ts) are imported when a command runs, so loading the plugin
 * for `genolake query` does not load the converter, the BAM writer or BGZF.
 */

export const bamToPafSpec = {
  name: 'bam-to-paf',
  summary: 'convert BAM/SAM (plain or gzip, or - for stdin) into a paf dataset',
  help: `Usage: genolake bam-to-paf <input> <dataset-url> [options]

Input: a BAM, SAM or SAM.gz path or object URL, or - for stdin. Any record order is kept
(coordinate-sorted input gives one run of chunks per reference).

Options:
  --append                 add the input as a new version (same @SQ references required)
  --force                  replace an existing dataset's contents with a new version
  --chunk-records N        records per chunk at most (default 1000000)
  --chunk-bytes N          raw BAM record bytes per chunk at most (default 48 MiB)
  --qualities fast|small   how binned qualities (up to four levels) are stored: fast
                           (default) decodes them ~5x faster, small is ~20% smaller
                           (~8% of the dataset); lossless either way
  --quality-bins illumina8 lossy: bin base qualities (recorded in the manifest)
  --drop-names             lossy: do not store read names (exported as '*')
  --drop-tags X,Y          lossy: do not store these aux tags
  -h, --help               this help
`,
};

export const pafQuerySpec = {
  name: 'paf-query',
  summary: 'samtools view over a paf dataset: regions, flags, MAPQ, SAM/BAM/JSON lines',
  help: `Usage: genolake paf-query <dataset-url> [region...] [options]

Regions are samtools-style (chr1, chr1:1000-2000, * for unplaced unmapped reads); a read
matches when its alignment span (from the CIGAR; one base when it covers none or is
unmapped) overlaps. Several regions are answered in turn, as samtools view does without -M
(a record in two overlapping regions is printed twice). A region on an unknown reference is
reported on stderr and skipped, as samtools view does.

Options:
  -h, --with-header        print the header (SAM)
  -H, --header-only        print only the header
  -c, --count              print the number of matching records
  -f, --require-flags F    only records with all of these flags
  -F, --exclude-flags F    no records with any of these flags
  -q, --min-MQ N           only records with MAPQ >= N
  -L, --target-file BED    only records overlapping the BED regions (each once, in order)
  -M, --use-index          answer several regions in one pass, each record once
  -b, --bam                BAM output
  --output-format F        sam (default), bam, jsonl or arrow (an Arrow IPC stream)
  --fields a,b,c           JSON lines or Arrow of only these fields (fetches only their streams)
  -o, --output OUT         a path or object URL (default stdout)
  -@, --threads N          1: decode and format in this thread only; more: the record
                           groups of SAM output are decoded and formatted in N worker
                           threads while this one reads and writes, BAM output
                           compressed in N threads. Workers start cold in each process
                           (loading and warming up their code): on two cores one command
                           gains nothing, even on a whole chromosome (1.02 s either way);
                           a long-lived process querying through the library gains
                           1.5-1.9x on two cores. More threads than cores only slows.
                           Default: this thread only
  --version N              read dataset version N
  --explain                print the read plan to stderr and read no data
  --help                   this help
`,
};

export const pafToBamSpec = {
  name: 'paf-to-bam',
  summary: 'export a paf dataset (or regions of it) as BAM',
  help: `Usage: genolake paf-to-bam <dataset-url> <out.bam|-> [region...] [options]

Writes the header and the records in dataset order (the input order for one input); with
regions, the records overlapping each region in turn, as samtools view -b does.

Options:
  --index            also write <out.bam>.bai (SAMv1 §5), built while writing; the output
                     must be coordinate-sorted (a sorted dataset, regions in order, no overlaps).
                     With genolake export: -O index=<out.bam.bai>
  -@, --threads N    BGZF compression threads (default 2)
  --version N        export dataset version N
  --help             this help
`,
};
