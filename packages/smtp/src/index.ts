/** @packageDocumentation @module @parley/smtp */
export {};
