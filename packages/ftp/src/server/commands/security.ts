import type { CommandTable } from './command.js';

/** Explicit FTPS (RFC 4217): `AUTH TLS`, `PBSZ 0`, `PROT P`/`PROT C`. */
export const SECURITY_COMMANDS: CommandTable = {
  AUTH: {
    public: true,
    needsArg: true,
    run(session, arg) {
      const mechanism = arg.trim().toUpperCase();
      const context = session.shared.secureContext;
      if (context === undefined) return session.reply(502, 'TLS is not configured on this server');
      if (mechanism !== 'TLS' && mechanism !== 'TLS-C' && mechanism !== 'SSL') {
        return session.reply(504, `AUTH ${mechanism} not supported`);
      }
      if (session.tlsActive) return session.reply(503, 'TLS is already active');
      session.upgradeControl(context);
    },
  },
  PBSZ: {
    public: true,
    needsArg: true,
    run(session) {
      if (!session.tlsActive) return session.reply(503, 'PBSZ is only allowed after AUTH TLS');
      session.protectionBufferSet = true;
      session.reply(200, 'PBSZ=0');
    },
  },
  PROT: {
    public: true,
    needsArg: true,
    run(session, arg) {
      if (!session.tlsActive) return session.reply(503, 'PROT is only allowed after AUTH TLS');
      if (!session.protectionBufferSet) return session.reply(503, 'PROT needs PBSZ first');
      const level = arg.trim().toUpperCase();
      if (level === 'P' || level === 'C') {
        if (level === 'C' && session.shared.options.requireTls) {
          return session.reply(534, 'Policy requires protected data connections');
        }
        session.protectData = level === 'P';
        return session.reply(200, `Protection set to ${level === 'P' ? 'Private' : 'Clear'}`);
      }
      session.reply(536, `Protection level ${level} not supported`);
    },
  },
};
