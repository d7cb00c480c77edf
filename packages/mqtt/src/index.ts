/** @packageDocumentation @module @parley/mqtt */
export {};
