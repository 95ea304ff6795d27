// LabError: the only kind of error the lab logic throws at the page. It carries
// an i18n key and params so the page can show it in the user's language; the
// English text is the message for logs and tests.
//
// Where PyTorch 1.13 itself raises in the same situation, `torch` holds what it
// raises, { type, message }, word for word (measured: tests/fixtures/snippets.json),
// and `stage` says when: 'construct' (the nn.X(...) call) or 'forward' (layer(x)).
import { t } from './i18n.js';

export class LabError extends Error {
  constructor(key, params = {}, torch = null, stage = null) {
    super(t('en', key, params));
    this.name = 'LabError';
    this.key = key;
    this.params = params;
    this.torch = torch;
    this.stage = torch ? stage ?? 'forward' : null;
  }
}

export function isLabError(e) {
  return e instanceof LabError;
}

/** A LabError for something torch raises: reason key and params for the
 * page, torch's exception type and exact message. */
export function torchError(key, params, type, message, stage = 'forward') {
  return new LabError(key, params, { type, message }, stage);
}

/** A torch exception { type, message } as Python prints it: "RuntimeError: ...". */
export function torchText(exc) {
  return `${exc.type}: ${exc.message}`;
}
