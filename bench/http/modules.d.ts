// Packages of the benchmark that ship no type declarations.
declare module 'autocannon';
declare module 'express';
