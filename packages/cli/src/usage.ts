/** The help text of the `parley` command. */
export const USAGE = `Usage:
  parley [options] <url>                  GET the URL (a path ending in / is a LIST)
  parley <verb> [options] <url>           verb: get, head, put, post, delete, list
  parley subscribe [options] <url> <pattern>
  parley publish [options] <url> <path> -d <text>|@<file>
  parley serve [DIR] [serve options]      serve DIR over HTTP, WebSocket, FTP, SMTP and MQTT at once
  parley contract <url>                   what the URL's transport carries

The scheme picks the transport: http, https, ftp, ftps, smtp, smtps, lmtp, mqtt, mqtts, ws, wss.
The URL's path is the request's path: ftp://demo:demo@127.0.0.1:2121/notes/a.txt.
MQTT URLs hold the service prefix first: mqtt://host:1883/<prefix>/<path>, the prefix being
the first path segment, or what --prefix names (mqtt://host/a/b/notes/x with --prefix a/b).
WebSocket URLs hold the endpoint's path first the same way: ws://host:8080/parley/notes/a.txt.
SMTP URLs name a mailbox: smtp://127.0.0.1:2525/notes (POST only; -d or -T gives the mail).

Options:
  -X, --request <verb>       the method (default GET; HEAD with -I, PUT with -T, POST with -d)
  -d, --data <text|@file>    POST this body ('@-' reads stdin)
  -T, --upload-file <file>   PUT this file, or mail it (smtp, lmtp) ('-' reads stdin;
                             a URL ending in / gets its name)
  -o, --output <file>        write the body to a file instead of stdout
  -C, --continue-at <offset|-> resume a download from a byte offset ('-': the output file's
                             size), adding the rest to the file (HTTP Range, FTP REST)
  -O, --remote-name          write the body to a file named like the URL's last segment
  -u, --user <user:pass>     credentials, over the URL's own
  -H, --header <name: value> a request header field (repeatable)
  -I, --head                 HEAD: show the response's header fields only
  -i, --include              show the response's status and header fields before the body
  -f, --fail                 exit 22, without output, when the peer answers with a failure
  -L, --location             follow redirects the transport reports (a location field;
                             to http, https, ftp or ftps only)
  -s, --silent               no progress meter, no error messages
  -S, --show-error           with -s, still show error messages
  -v, --verbose              show what travels on the wire, on stderr
      --trace <file>         write the wire dialogue, with payload bytes, to a file (- for stdout)
  -k, --insecure             accept a TLS certificate that does not verify (still encrypted,
                             but to a peer nobody vouched for)
      --cacert <file>        trust the certificates of a PEM file (a private authority)
      --ssl                  smtp, lmtp: STARTTLS when offered, the certificate verified
                             (without it: when offered, not verified; curl sends clear text)
      --ssl-reqd             smtp, lmtp: STARTTLS required (exit 64 without it), verified
  -m, --max-time <seconds>   time allowed for the whole operation (default, and 0: no limit)
      --prefix <prefix>      MQTT: the service prefix; WebSocket: the endpoint's path
                             (default: the first path segment)
  -V, --version              print the version
  -h, --help                 print this help

Serve options (parley serve --help):
  --write                    allow uploads, appends and deletes (then a login is required)
  --user <name>, --password <secret>  the login (or PARLEY_USER, PARLEY_PASSWORD)
  --host <address>           listen address (default 127.0.0.1, or PARLEY_HOST)
  --http-port, --ftp-port, --smtp-port, --mqtt-port, --mqtt-ws-port <port>
                             ports (or PARLEY_HTTP_PORT, ...; defaults 8080, 2121, 2525,
                             1883, 8083; 0 picks a free port; 'off' turns one off)
  --prefix <prefix>          the MQTT service prefix (default files)
  --max-body-bytes <n>       largest upload (default: each transport's own)

Exit codes (curl's meanings):
  0 success (also when an HTTP, WebSocket or MQTT peer answered with a failure, unless -f)
  1 unknown scheme            2 bad usage (unknown option, missing value)
  3 malformed URL             4 the transport does not carry the operation
  6 cannot resolve the host   7 cannot connect
  9 FTP access denied         19 FTP download refused
  18 the peer closed the connection before the end of the body
  21 another FTP command refused
  22 the peer answered with a failure, with -f
  23 cannot write the output (also: the reader of stdout went away)
  25 FTP upload refused
  26 cannot read the input (a missing -T or -d @ file)
  28 timed out (--max-time)
  33 cannot resume (-C): the peer sent the whole body or another part
  47 too many redirects       52 empty reply from the server
  55 the connection failed while sending (or SMTP refused the mail), 56 while receiving
  60 the peer's TLS certificate failed verification
  63 too large (a listing over 16 MiB)
  64 STARTTLS required (--ssl-reqd) but not offered or refused
  67 login denied             77 cannot read the --cacert file
  78 FTP file not found`;
