export const CLIENT_IP_HEADER: string;
export function clientIp(o: { remoteAddress: string | undefined; forwardedFor: string | string[] | undefined; trustProxy: boolean }): string;
export function ipLimitKey(ip: string | null | undefined): string | null;
export function trustProxyFrom(value: string | undefined): boolean;
