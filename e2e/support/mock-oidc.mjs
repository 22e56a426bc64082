// A minimal OpenID Connect provider for the browser tests: discovery, an authorization page where the test
// types who signs in and their groups, a token endpoint that checks the client secret and PKCE, RS256-signed
// ID tokens and a JWKS. Gatehouse talks to it exactly as to a real provider. Never used outside tests.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import http from "node:http";

const b64url = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startMockOidc({ port, clientId, clientSecret }) {
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomBytes(8).toString("hex");
  const codes = new Map();

  function idToken(claims, nonce) {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url({ alg: "RS256", typ: "JWT", kid });
    const payload = b64url({ iss: issuer, aud: clientId, iat: now, exp: now + 300, ...(nonce ? { nonce } : {}), ...claims });
    const signature = sign("RSA-SHA256", Buffer.from(`${header}.${payload}`), privateKey).toString("base64url");
    return `${header}.${payload}.${signature}`;
  }

  async function body(req) {
    let text = "";
    for await (const chunk of req) text += chunk;
    return new URLSearchParams(text);
  }

  function json(res, status, data) {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(data));
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, issuer);
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (url.pathname === "/jwks") return json(res, 200, { keys: [{ ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" }] });
    if (url.pathname === "/authorize" && req.method === "GET") {
      const p = url.searchParams;
      if (p.get("client_id") !== clientId) return json(res, 400, { error: "unauthorized_client" });
      const hidden = ["redirect_uri", "state", "code_challenge", "nonce"].map((k) => `<input type="hidden" name="${k}" value="${escape(p.get(k) ?? "")}">`).join("");
      res.writeHead(200, { "content-type": "text/html" });
      return res.end(`<!doctype html><html lang="en"><title>Test IdP</title><main><h1>Test identity provider</h1>
        <form method="post" action="/authorize">${hidden}
        <label>Subject <input name="sub"></label><label>Email <input name="email"></label>
        <label>Name <input name="name"></label><label>Groups <input name="groups"></label>
        <label>Email verified <input name="email_verified"></label>
        <button type="submit">Continue</button></form></main></html>`);
    }
    if (url.pathname === "/authorize" && req.method === "POST") {
      const f = await body(req);
      const code = randomBytes(16).toString("hex");
      const groups = (f.get("groups") ?? "").split(",").map((g) => g.trim()).filter(Boolean);
      codes.set(code, {
        claims: { sub: f.get("sub"), email: f.get("email"), email_verified: f.get("email_verified") === "yes", name: f.get("name"), groups },
        challenge: f.get("code_challenge"),
        nonce: f.get("nonce") || undefined,
        redirectUri: f.get("redirect_uri"),
      });
      const back = new URL(f.get("redirect_uri"));
      back.searchParams.set("code", code);
      back.searchParams.set("state", f.get("state") ?? "");
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === "/token" && req.method === "POST") {
      const f = await body(req);
      const basic = (req.headers.authorization ?? "").replace(/^Basic /, "");
      const [id, secret] = basic ? Buffer.from(basic, "base64").toString().split(":").map(decodeURIComponent) : [f.get("client_id"), f.get("client_secret")];
      if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: "invalid_client" });
      const grant = codes.get(f.get("code"));
      codes.delete(f.get("code"));
      if (!grant || grant.redirectUri !== f.get("redirect_uri")) return json(res, 400, { error: "invalid_grant" });
      const verifier = f.get("code_verifier") ?? "";
      if (grant.challenge && createHash("sha256").update(verifier).digest("base64url") !== grant.challenge) return json(res, 400, { error: "invalid_grant", error_description: "PKCE" });
      return json(res, 200, { access_token: randomBytes(16).toString("hex"), token_type: "Bearer", expires_in: 300, id_token: idToken(grant.claims, grant.nonce) });
    }
    json(res, 404, { error: "not_found" });
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    issuer,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
