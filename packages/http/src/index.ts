/** @packageDocumentation @module @parley/http */
export {};
