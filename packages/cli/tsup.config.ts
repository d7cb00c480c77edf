import { packageBuild } from '../../tsup.base.js';

// The library as ESM + CJS. The command as CommonJS, split so that each transport loads only
// when a URL names it: it then loads the CommonJS builds of the transports and their
// dependencies with require, which costs less memory and start-up time than importing
// CommonJS packages (basic-ftp, mqtt, undici) from ES modules.
export default [
  packageBuild({ index: 'src/index.ts' }, { shims: true }),
  packageBuild(
    { bin: 'src/bin.ts' },
    { format: ['cjs'], dts: false, clean: false, splitting: true, shims: true },
  ),
];
