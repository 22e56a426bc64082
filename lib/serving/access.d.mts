export const TOKEN_LAST_USED_RESOLUTION_MS: number;
export const SERVING_READ_SCOPES: string[];
export const SERVING_READ_ROLES: string[];
export function servingAccess(token: { kind: string; scopes: string[]; revoked: boolean; userActive: boolean | null; grants: { role: string; teamId: string | null }[] }): { teams: Set<string> | null } | null;
