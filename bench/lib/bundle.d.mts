export function chunkPaths(html: string): string[];
export function measureBundles(opts: { base: string; cookie: string; routes: readonly string[]; root: string }): Promise<{ route: string; files: number; bytes: number; gzipBytes: number }[]>;
