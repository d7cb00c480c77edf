/** @packageDocumentation @module @parley/ftp */
export {};
