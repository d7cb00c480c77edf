/**
 * The `parley` command: one request over HTTP, FTP, SMTP or MQTT from a shell, the transport
 * picked by the URL's scheme.
 *
 * ```sh
 * parley put http://127.0.0.1:8080 /notes/hello.txt --data 'hi'
 * parley get ftp://demo:demo@127.0.0.1:2121 /notes/hello.txt
 * parley list mqtt://127.0.0.1:1883/notes-service /notes/
 * parley post smtp://127.0.0.1:2525 /notes --data 'a mail'
 * ```
 *
 * @packageDocumentation
 * @module @parley/cli
 */
export { type Command, parseCommand, type RequestCommand, USAGE } from './args.js';
export { type CliStreams, describeContract, EXIT, runCli } from './run.js';
export { SCHEMES, transportFor } from './transport-for.js';
