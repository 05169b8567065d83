// Loaded with `node --import` before Electronegativity: its HTTP client (got) fails at once, so the scan never leaves this
// machine (it fetches translations and Electron's release list, retrying for seconds when offline). The scan is untouched.
import Module from 'node:module';
import { sep } from 'node:path';

const offline = () => Promise.reject(new Error('offline: tests reach loopback only'));
offline.head = offline;
offline.default = offline;

const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'got' && parent?.filename?.includes(`${sep}@doyensec${sep}electronegativity${sep}`)) return offline;
  return load.call(this, request, parent, isMain);
};
