import { MLST_FACTS, type MlstFact } from '../listing-format.js';
import type { Session } from '../session.js';
import type { CommandTable } from './command.js';
import { statPath, withoutFlags } from './listing.js';

/** Commands about the session itself: QUIT, NOOP, SYST, FEAT, OPTS, TYPE, MODE, STRU, HELP, STAT, ALLO. */
export const SESSION_COMMANDS: CommandTable = {
  QUIT: { public: true, run: (session) => session.quit() },
  NOOP: { public: true, run: (session) => session.reply(200, 'NOOP ok') },
  SYST: { public: true, run: (session) => session.reply(215, 'UNIX Type: L8') },
  FEAT: { public: true, run: (session) => session.replyLines(211, 'Features:', features(session), 'End') },
  OPTS: { public: true, needsArg: true, run: opts },
  HELP: {
    public: true,
    run: (session) => session.replyLines(214, 'Commands recognised:', [VERBS], 'Help OK'),
  },
  TYPE: {
    needsArg: true,
    run(session, arg) {
      const type = arg.trim().toUpperCase();
      if (/^(I|A|A N|L 8)$/.test(type)) {
        session.asciiType = type.startsWith('A');
        return session.reply(200, `Type set to ${type.charAt(0)}`);
      }
      session.reply(504, `Type ${type} not supported`);
    },
  },
  MODE: {
    needsArg: true,
    run: (session, arg) =>
      arg.trim().toUpperCase() === 'S'
        ? session.reply(200, 'Mode set to S')
        : session.reply(504, 'Only MODE S is supported'),
  },
  STRU: {
    needsArg: true,
    run: (session, arg) =>
      arg.trim().toUpperCase() === 'F'
        ? session.reply(200, 'Structure set to F')
        : session.reply(504, 'Only STRU F is supported'),
  },
  STAT: {
    kind: 'file',
    run(session, arg) {
      if (arg.trim() !== '') return statPath(session, withoutFlags(arg));
      const lines = [
        `Connected from ${session.address}`,
        `Logged in as ${session.user ?? 'nobody'}`,
        `TYPE: ${session.asciiType ? 'ASCII' : 'BINARY'}`,
      ];
      return session.replyLines(211, 'FTP server status:', lines, 'End of status');
    },
  },
  ALLO: { run: (session) => session.reply(202, 'No storage allocation necessary') },
};

const VERBS =
  'ABOR ALLO APPE AUTH CDUP CWD DELE EPRT EPSV FEAT HELP LIST MDTM MKD MLSD MLST MODE NLST NOOP OPTS PASS PASV PBSZ PORT PROT PWD QUIT REST RETR RMD RNFR RNTO SIZE STAT STOR STOU STRU SYST TYPE USER XCUP XCWD XMKD XPWD XRMD';

function features(session: Session): string[] {
  const facts = MLST_FACTS.map((fact) => `${fact}${session.mlstFacts.includes(fact) ? '*' : ''};`).join('');
  const list = ['EPSV', 'MDTM', `MLST ${facts}`, 'REST STREAM', 'SIZE', 'TVFS', 'UTF8'];
  if (session.shared.options.activeMode) list.push('EPRT');
  if (session.shared.secureContext !== undefined) list.push('AUTH TLS', 'PBSZ', 'PROT');
  return list;
}

function opts(session: Session, arg: string) {
  const [name = '', ...rest] = arg.trim().split(/\s+/);
  const option = name.toUpperCase();
  const value = rest.join(' ');
  if (option === 'UTF8' || option === 'UTF-8') {
    if (value.toUpperCase() === 'ON' || value === '') return session.reply(200, 'UTF8 mode is always on');
    return session.reply(504, 'UTF8 cannot be turned off');
  }
  if (option === 'MLST') {
    const wanted = value
      .toLowerCase()
      .split(';')
      .filter((fact): fact is MlstFact => (MLST_FACTS as readonly string[]).includes(fact));
    session.mlstFacts = wanted;
    return session.reply(200, `MLST OPTS ${wanted.map((fact) => `${fact};`).join('')}`);
  }
  session.reply(501, `Option ${option} not understood`);
}
