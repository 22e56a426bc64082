/**
 * Runs before the page paints so it never flashes the wrong theme: the stored choice ("light" | "dark"), or
 * the system preference when the choice is "system" or unset, kept in sync if the system setting changes.
 */
const script = `(() => {
  const root = document.documentElement;
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const apply = () => {
    let choice = "system";
    try { choice = localStorage.getItem("gatehouse-theme") || "system"; } catch {}
    root.dataset.theme = choice;
    root.classList.toggle("dark", choice === "dark" || (choice === "system" && media.matches));
  };
  apply();
  media.addEventListener("change", apply);
  window.addEventListener("gatehouse-theme", apply);
})();`;

/** `nonce`: this response's CSP nonce (proxy.ts); an inline script runs only with it. */
export function ThemeScript({ nonce }: { nonce?: string }) {
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: script }} />;
}
