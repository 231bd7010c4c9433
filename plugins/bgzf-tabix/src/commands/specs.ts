/**
 * Names, summaries and help of the plugin's commands: what the CLI prints without running a
 * command. The plugin entry registers them with lazily imported implementations; the command
 * modules use the same objects, so the two can never drift apart.
 */
import type { CommandSpec } from '@genolake/core/plugin';

export type CommandInfo = Omit<CommandSpec, 'run'>;

export const BGZIP: CommandInfo = {
  name: 'bgzip',
  summary: 'compress or decompress BGZF files (htslib-compatible), build .gzi indexes',
  help: `Usage: genolake bgzip [OPTIONS] [FILE] ...
Block compression (BGZF) compatible with htslib's bgzip.
Options:
   -b, --offset INT           decompress at this 0-based uncompressed offset (needs the .gzi)
   -c, --stdout               write on standard output, keep original files unchanged
   -d, --decompress           decompress (BGZF or plain gzip)
   -f, --force                overwrite files without asking
   -h, --help                 give this help
   -i, --index                compress and create BGZF index (.gzi)
   -I, --index-name FILE      name of BGZF index file [file.gz.gzi]
   -k, --keep                 don't delete input files during operation
   -l, --compress-level INT   compression level: 0 to 9, or -1 for default [-1]
   -r, --reindex              (re)index a compressed file
   -s, --size INT             decompress INT bytes (uncompressed size)
   -t, --test                 test integrity of compressed file
   -@, --threads INT          number of blocks compressed or inflated at once [1]
With no FILE, or when FILE is -, read standard input and write standard output.
`,
};

export const TABIX: CommandInfo = {
  name: 'tabix',
  summary: 'index sorted BGZF text (.tbi/.csi) and query it by region (htslib-compatible)',
  help: `Usage: genolake tabix [OPTIONS] FILE [REGION ...]
Index a sorted BGZF text file (.tbi or .csi) or query it by region, like htslib's tabix.
Indexing:
   -p, --preset STR       gff, bed, sam or vcf (guessed from the file name when absent)
   -s, --sequence INT     column of sequence name [1]
   -b, --begin INT        column of start position [4]
   -e, --end INT          column of end position [5]
   -S, --skip-lines INT   skip the first INT lines [0]
   -c, --comment CHAR     header lines start with CHAR [#]
   -0, --zero-based       coordinates are 0-based
   -C, --csi              write a CSI index instead of tabix
   -m, --min-shift INT    CSI min-shift [14]
   -f, --force            overwrite an existing index
   -@, --threads INT      blocks inflated at once [2]
Querying:
   -l, --list-chroms      list sequence names
   -h, --print-header     print the header before the records
   -H, --only-header      print only the header
   -R, --regions FILE     regions from a BED file (or CHR<TAB>POS lines)
       --explain          print the planned ranged reads and their total (an upper bound)
                          on stderr, then what was fetched
Regions: chr, chr:beg, chr:beg-end (1-based, inclusive).
`,
};

export const KEYINDEX: CommandInfo = {
  name: 'keyindex',
  summary: 'index BGZF text by a key column or attribute (.gki) and look keys up by bounded reads',
  help: `Usage: genolake keyindex build [OPTIONS] FILE
       genolake keyindex query [OPTIONS] FILE KEY [KEY ...]
Index one column of a BGZF text file (any order) by key, then fetch the lines holding given keys.
Build (writes FILE.gki):
   -c, --column INT       column holding the key (1-based) [1; 9 with --attr]
   -a, --attr NAME        key is attribute NAME of that column: GFF3 NAME=v (a,b: two keys), GTF NAME "v"
   -S, --skip-lines INT   skip the first INT lines [0]
   -C, --comment CHAR     lines starting with CHAR are headers [#]
   -o, --output FILE      index object [FILE.gki]; e.g. a dataset's _index/ key
   -f, --force            overwrite an existing index
   -m, --memory MiB       sort memory before spilling runs to disk [64]
   -@, --threads INT      blocks inflated at once [2]
Query (lines in file order, each once):
   -p, --prefix           keys starting with KEY
   -i, --ignore-case      ignore ASCII case
   -x, --index FILE       index object [FILE.gki]
       --explain          print the bounded reads made (index) and planned (data) on stderr
`,
};
