// Node-only pieces (filesystem store, worker pool). Re-exported here so browser builds can
// leave them out.
export {};
