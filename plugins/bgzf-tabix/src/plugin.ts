/**
 * The plugin entry (`@genolake/bgzf-tabix/plugin`). As style rule 11 asks, the default export is a
 * factory returning the plugin object; `plugin` is that object with default options, for hosts
 * that take an object.
 *
 * Commands are registered lazily: their names, summaries and help (which the CLI prints without
 * running a command) are here, and a command's module, with the BGZF reader/writer, indexers,
 * key index and the inflate pool it needs, is imported when it runs. Loading the plugin for one
 * command then loads that command's modules only. The help texts are copies of the commands'
 * own (`genolake <cmd> --help` is answered from here); test/paf-startup.test.ts checks that
 * they are equal.
 */
import { PLUGIN_API_VERSION, definePlugin } from '@genolake/core/plugin';
import type { CommandSpec, Plugin } from '@genolake/core/plugin';

export interface BgzfTabixPluginOptions {
  /** Register the `bgzip`, `tabix` and `keyindex` CLI commands (default true). */
  commands?: boolean;
}

/** A command whose implementation is imported when it first runs. */
function lazyCommand(spec: Omit<CommandSpec, 'run'>, load: () => Promise<CommandSpec>): CommandSpec {
  return { ...spec, run: async (argv, ctx) => (await load()).run(argv, ctx) };
}

const BGZIP_HELP = `Usage: genolake bgzip [OPTIONS] [FILE] ...
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
`;

const TABIX_HELP = `Usage: genolake tabix [OPTIONS] FILE [REGION ...]
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
`;

const KEYINDEX_HELP = `Usage: genolake keyindex build [OPTIONS] FILE
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
`;

export default function bgzfTabix(options: BgzfTabixPluginOptions = {}): Plugin {
  return definePlugin({
    name: '@genolake/bgzf-tabix',
    apiVersion: PLUGIN_API_VERSION,
    version: '0.1.0',
    setup(host) {
      if (options.commands === false) return;
      host.registerCommand(lazyCommand(
        { name: 'bgzip', summary: 'compress or decompress BGZF files (htslib-compatible), build .gzi indexes', help: BGZIP_HELP },
        async () => (await import('./commands/bgzip.js')).bgzipCommand,
      ));
      host.registerCommand(lazyCommand(
        { name: 'tabix', summary: 'index sorted BGZF text (.tbi/.csi) and query it by region (htslib-compatible)', help: TABIX_HELP },
        async () => (await import('./commands/tabix.js')).tabixCommand,
      ));
      host.registerCommand(lazyCommand(
        { name: 'keyindex', summary: 'index BGZF text by a key column or attribute (.gki) and look keys up by bounded reads', help: KEYINDEX_HELP },
        async () => (await import('./commands/keyindex.js')).keyindexCommand,
      ));
    },
  });
}

export const plugin: Plugin = bgzfTabix();
