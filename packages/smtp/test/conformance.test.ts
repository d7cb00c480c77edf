import { describeConformance, urlWithCredentials } from '@parley/core/conformance';
import { smtp } from '@parley/smtp';

describeConformance({
  name: 'smtp',
  server: () => smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0, allowInsecureAuth: true }),
  client: (url, credentials) => smtp(urlWithCredentials(url, credentials)),
});
