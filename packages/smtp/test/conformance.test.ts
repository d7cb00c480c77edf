import { describeConformance } from '@parley/core/conformance';
import { smtp } from '@parley/smtp';

describeConformance({
  name: 'smtp',
  server: () => smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0, allowInsecureAuth: true }),
  client: (url, credentials) => {
    const target = new URL(url);
    if (credentials) {
      target.username = credentials.username;
      target.password = credentials.password;
    }
    return smtp(target.href);
  },
});
