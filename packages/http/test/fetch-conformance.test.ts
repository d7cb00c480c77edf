import { describeConformance, urlWithCredentials } from '@parley/core/conformance';
import { http as nodeHttp } from '@parley/http';
import { http } from '../src/browser.js';

// The browser entry's client, on Node.js's own fetch, against the Node.js server.
describeConformance({
  name: 'http over fetch, uploads streamed',
  server: () => nodeHttp('http://127.0.0.1:0'),
  limitedServer: (maxBodyBytes) => nodeHttp('http://127.0.0.1:0', { maxBodyBytes }),
  client: (url, credentials) => http(urlWithCredentials(url, credentials), { streamUploads: true }),
});

describeConformance({
  name: 'http over fetch, uploads buffered (as browsers over HTTP/1.1)',
  server: () => nodeHttp('http://127.0.0.1:0'),
  limitedServer: (maxBodyBytes) => nodeHttp('http://127.0.0.1:0', { maxBodyBytes }),
  client: (url, credentials) => http(urlWithCredentials(url, credentials)),
});
