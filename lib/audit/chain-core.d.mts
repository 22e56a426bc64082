import type { AuditContent, ChainCheck, ChainedEvent } from "./chain";
export const GENESIS_HASH: string;
export function canonicalJson(value: unknown): string;
export function eventBody(c: AuditContent, prevHash: string): string;
export function hashEvent(content: AuditContent, prevHash: string): string;
export function verifyChain(events: readonly ChainedEvent[], start?: { prevHash: string; prevId: bigint | null; checked: number }): ChainCheck & { prevId: bigint | null };
export function rowBody(row: readonly unknown[], prevHash: string): string;
