import type { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

/** Client lines that are an HTTP request: a web page trying to speak SMTP. */
const HTTP_REQUEST = /^(OPTIONS|GET|HEAD|POST|PUT|DELETE|TRACE|CONNECT) \/.* HTTP\/\d\.\d$/i;

/** Commands that need HELO/EHLO first, and those of them that need AUTH when it is required. */
const AFTER_GREETING = ['MAIL', 'RCPT', 'DATA', 'AUTH'];
const AFTER_AUTH = ['MAIL', 'RCPT', 'DATA'];

/** The name of a command line, upper-cased: what comes before its first space. */
function commandNameOf(line: string): string {
  const space = line.indexOf(' ');
  return (space === -1 ? line : line.slice(0, space)).toUpperCase();
}

/**
 * `SMTPConnection._onCommand` of smtp-server 3.21.6, step for step, with what only its log
 * needs done only when the server has a logger: the line is decoded once instead of three
 * times, and without a logger neither the redacted line nor the log entry is built for every
 * command. The checks that need `AUTH` supported test the cheaper conditions first (each is
 * free of side effects, so the outcome is the same).
 */
export function dispatchCommand(
  connection: SMTPConnection,
  command: Buffer,
  callback: (() => void) | undefined,
  logs: boolean,
): void {
  const line = (command || '').toString();
  let commandName = commandNameOf(line);
  const server = connection._server;
  const options = server.options;
  if (logs) {
    const logged = connection._redactCredentials(commandName, line);
    const user = connection.session.user as { username?: string } | undefined;
    server.logger.debug(
      { tnx: 'command', cid: connection.id, command: logged.commandName, user: user?.username || user },
      'C:',
      logged.line,
    );
  }
  const next = callback || (() => false);
  const done = (): void => connection._whenWritable(next);
  // Lines buffered during a TLS handshake came in clear text: dropped without an answer.
  if (connection._upgrading) {
    done();
    return;
  }
  const refusal = closingRefusal(connection, line);
  if (refusal !== undefined) {
    connection.send(421, refusal, commandName);
    return;
  }
  let handler: ((command: Buffer, callback: () => void) => void) | false | undefined;
  if (connection._nextHandler) {
    handler = connection._nextHandler;
    connection._nextHandler = false;
  } else {
    if (commandName === 'HELO' || commandName === 'EHLO' || commandName === 'LHLO') {
      connection.openingCommand = commandName;
    }
    if (options.lmtp) {
      if (commandName === 'HELO' || commandName === 'EHLO') {
        connection.send(500, `Error: ${commandName} not allowed in LMTP server`, false);
        setImmediate(done);
        return;
      }
      if (commandName === 'LHLO') commandName = 'EHLO';
    }
    if (connection._isSupported(commandName)) handler = connection._getHandler(commandName);
  }
  if (!handler) {
    connection._unrecognizedCommands++;
    if (connection._unrecognizedCommands >= 10) {
      connection.send(421, 'Error: too many unrecognized commands', commandName);
      return;
    }
    connection.send(500, 'Error: command not recognized', commandName);
    setImmediate(done);
    return;
  }
  const user = connection.session.user;
  // Block clients that try commands without logging in.
  if (
    !options.authOptional &&
    !user &&
    commandName !== 'AUTH' &&
    connection._maxAllowedUnauthenticatedCommands !== false &&
    connection._isSupported('AUTH')
  ) {
    connection._unauthenticatedCommands++;
    if (connection._unauthenticatedCommands >= connection._maxAllowedUnauthenticatedCommands) {
      connection.send(421, 'Error: too many unauthenticated commands', commandName);
      return;
    }
  }
  if (!connection.hostNameAppearsAs && commandName && AFTER_GREETING.includes(commandName)) {
    connection.send(503, `Error: send ${options.lmtp ? 'LHLO' : 'HELO/EHLO'} first`);
    setImmediate(done);
    return;
  }
  if (!options.authOptional && !user && AFTER_AUTH.includes(commandName) && connection._isSupported('AUTH')) {
    const message = options.authRequiredMessage;
    connection.send(530, typeof message === 'string' ? message : 'Error: authentication Required');
    setImmediate(done);
    return;
  }
  runHandler(connection, handler, command, commandName, done);
}

/**
 * The text of the `421` that answers a line instead of its command, if one does: the server is
 * closing, the client talked before the greeting (a spammer), or the line is an HTTP request.
 */
function closingRefusal(connection: SMTPConnection, line: string): string | undefined {
  if (connection._server._closeTimeout) return 'Server shutting down';
  if (!connection._ready) return `${connection.name} You talk too soon`;
  if (HTTP_REQUEST.test(line)) return 'HTTP requests not allowed';
  return undefined;
}

/** Runs a command's handler; a handler that throws gets `451` instead of breaking the socket's pipe. */
function runHandler(
  connection: SMTPConnection,
  handler: (command: Buffer, callback: () => void) => void,
  command: Buffer,
  commandName: string,
  done: () => void,
): void {
  let handlerDone = false;
  const handlerCallback = (): void => {
    handlerDone = true;
    connection._handlerPending = false;
    done();
  };
  connection._handlerPending = true;
  try {
    handler.call(connection, command, handlerCallback);
  } catch (error) {
    const err = error as Error;
    connection._server.logger.error(
      { err, tnx: 'command', cid: connection.id, command: commandName },
      '%s Failed to process %s command: %s',
      connection.id,
      commandName,
      err.message,
    );
    if (!handlerDone) {
      connection.send(451, 'Error: internal server error');
      handlerCallback();
    }
  }
}
