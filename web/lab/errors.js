// LabError: the only kind of error the lab logic throws at the page. It carries
// an i18n key and params so the page can show it in the user's language; the
// English text is the message for logs and tests.
import { t } from './i18n.js';

export class LabError extends Error {
  constructor(key, params = {}) {
    super(t('en', key, params));
    this.name = 'LabError';
    this.key = key;
    this.params = params;
  }
}

export function isLabError(e) {
  return e instanceof LabError;
}
