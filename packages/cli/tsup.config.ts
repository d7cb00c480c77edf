import { packageBuild } from '../../tsup.base.js';

// The library as ESM + CJS; the command as ESM only, so its transports load lazily.
export default [
  packageBuild({ index: 'src/index.ts' }, { shims: true }),
  packageBuild({ bin: 'src/bin.ts' }, { format: ['esm'], dts: false, clean: false, splitting: true }),
];
