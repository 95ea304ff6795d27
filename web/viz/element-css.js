// The styles only <normlab-compare> uses, as a string the element adopts into
// its shadow root (a constructed stylesheet: nothing to fetch, nothing a
// strict CSP blocks). They come after viz.css, which the page shares.
//
// What a host page may set (documented in README.md, "Embedding"):
//   custom properties on normlab-compare: --normlab-fg, --normlab-muted,
//   --normlab-bg, --normlab-panel, --normlab-line, --normlab-accent,
//   --normlab-ok, --normlab-ok-bg, --normlab-bad, --normlab-bad-bg,
//   --normlab-code, --normlab-font, --normlab-radius;
//   parts: body, verdict, error, code, groups, pie, link.
// Unset, they follow prefers-color-scheme: light or dark colours of our own.
export const ELEMENT_CSS = `
:host { display: block; contain: content; }
:host([hidden]) { display: none; }
.nl.nl-embed {
  --fg: var(--normlab-fg, #1d2430); --muted: var(--normlab-muted, #5b6473);
  --bg: var(--normlab-bg, #fff); --panel: var(--normlab-panel, #f5f7fa);
  --line: var(--normlab-line, #d5dae2); --accent: var(--normlab-accent, #2f5fc4);
  --ok: var(--normlab-ok, #1e7a46); --ok-bg: var(--normlab-ok-bg, #e5f5ec);
  --bad: var(--normlab-bad, #a3322b); --bad-bg: var(--normlab-bad-bg, #fbe9e7);
  --code: var(--normlab-code, #f0f3f8); --stroke: var(--fg);
  color-scheme: light;
  color: var(--fg); background: var(--bg);
  border: 1px solid var(--line); border-radius: var(--normlab-radius, 10px);
  padding: .7rem .9rem;
  font-family: var(--normlab-font, system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif);
}
@media (prefers-color-scheme: dark) {
  .nl.nl-embed {
    --fg: var(--normlab-fg, #e3e7ee); --muted: var(--normlab-muted, #a3adbb);
    --bg: var(--normlab-bg, #1a1e25); --panel: var(--normlab-panel, #232a33);
    --line: var(--normlab-line, #3a434f); --accent: var(--normlab-accent, #8fb0f7);
    --ok: var(--normlab-ok, #4cc38a); --ok-bg: var(--normlab-ok-bg, #16301f);
    --bad: var(--normlab-bad, #f3897f); --bad-bg: var(--normlab-bad-bg, #3b1f1c);
    --code: var(--normlab-code, #20262e);
    color-scheme: dark;
  }
}
.nl-embed a { color: var(--accent); }
.nl-embed .open-link { margin: .4rem 0 0; text-align: right; }
.nl-embed .pie .slice { stroke: var(--bg); }
.nl-embed .pie-note { margin: .3rem 0 0; }
/* Narrow (set by a ResizeObserver on the element's width): one grid per row. */
.nl-embed[data-layout="narrow"] .groups-panel { flex-basis: 100%; }
`;
