import { packageBuild } from '../../tsup.base.js';

export default packageBuild(
  {
    index: 'src/index.ts',
    browser: 'src/browser.ts',
    'conformance/index': 'src/conformance/index.ts',
    'transport/index': 'src/transport-kit.ts',
  },
  { external: ['vitest'] },
);
