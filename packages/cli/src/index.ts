/**
 * The `parley` command: talk to, serve and watch any of Parley's protocols from a shell, with
 * curl's conventions. The URL's scheme picks the transport.
 *
 * ```sh
 * parley -T hello.txt http://127.0.0.1:8080/notes/     # PUT
 * parley ftp://demo:demo@127.0.0.1:2121/notes/hello.txt # GET
 * parley mqtt://127.0.0.1:1883/notes-service/notes/     # LIST
 * parley -d 'a mail' smtp://127.0.0.1:2525/notes        # POST
 * parley -v http://127.0.0.1:8080/notes/hello.txt       # the wire dialogue on stderr
 * parley serve ./public                                 # a folder over every protocol
 * ```
 *
 * @packageDocumentation
 * @module @parley/cli
 */
export {
  type BodySource,
  type Command,
  type OutputOptions,
  type PublishCommand,
  parseCommand,
  type RequestCommand,
  type SubscribeCommand,
} from './args.js';
export { CliError, EXIT, exitCodeOf } from './exit.js';
export { type CliStreams, describeContract, runCli } from './run.js';
export { parseTarget, type Target, type TargetOptions } from './target.js';
export { type TlsTrust, tlsTrust } from './tls-trust.js';
export { loadTransport, SCHEMES, type TransportFactory, type TransportOptions } from './transport-for.js';
export { USAGE } from './usage.js';
