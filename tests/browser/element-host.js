// A host page for <normlab-compare> tests: the given body after the element's
// module script, served at /web/__host.html (so the element's relative URLs
// resolve) under a strict CSP, in a tab whose errors are collected.
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/** env: from setup(); head: extra markup before the script (e.g. a host <link>);
 * htmlLang: the host's <html lang>, none by default (the element then follows the browser). */
export async function hostPage(env, body, { locale = 'en-US', csp = STRICT_CSP, colorScheme, width = 1280, height = 900, head = '', htmlLang } = {}) {
  const page = await env.context.newPage();
  await page.setViewportSize({ width, height });
  if (colorScheme) await page.emulateMedia({ colorScheme });
  await page.addInitScript((l) => Object.defineProperty(navigator, 'languages', { get: () => [l] }), locale);
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.route(`${env.base}/web/__host.html`, (route) => route.fulfill({
    contentType: 'text/html', headers: { 'content-security-policy': csp },
    body: `<!doctype html><html${htmlLang ? ` lang="${htmlLang}"` : ''}><meta charset="utf-8"><title>normlab host</title>${head}<script type="module" src="normlab-compare.js"></script>${body}`,
  }));
  await page.goto(`${env.base}/web/__host.html`);
  return page;
}

/** A host stylesheet served at /web/__host.css (a strict CSP refuses inline <style>). */
export async function hostStyles(env, css) {
  await env.context.route(`${env.base}/web/__host.css`, (route) => route.fulfill({ contentType: 'text/css', body: css }));
  return '<link rel="stylesheet" href="__host.css">';
}

/** WCAG contrast ratio of two colours given as rgb(...) or #rrggbb, computed
 * here, independently of web/viz/pie.js. */
export function contrast(a, b) {
  const channels = (c) => (c.startsWith('#') ? [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16))
    : c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number));
  const lum = (c) => {
    const [r, g, bl] = channels(c).map((v) => v / 255).map((u) => (u <= 0.03928 ? u / 12.92 : ((u + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
