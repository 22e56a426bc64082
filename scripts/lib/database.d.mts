export type Embedded = { port: number; start(): Promise<void>; stop(): Promise<void> };
export type Database = { url: string; stop(): Promise<void> };

export function portIsFree(port: number): Promise<boolean>;
export function availablePort(preferred: number): Promise<number>;
export function embeddedServer(opts: { dir: string; port: number }): Promise<Embedded>;
export function startEmbedded(opts: { dir: string; port: number; name: string; fresh?: boolean }): Promise<Database>;
export function startDatabase(): Promise<Database & { external: boolean }>;
export function migrate(url: string): void;
