import { isIPv4 } from 'node:net';
import { type ActiveTarget, parseEprt, parsePort, sameHost } from '../addresses.js';
import { ActiveChannel, type ChannelOptions, PassiveChannel } from '../data-channel.js';
import { FtpFailure } from '../failure.js';
import type { Session } from '../session.js';
import type { CommandTable } from './command.js';

/** Preparing data connections: PASV, EPSV, PORT, EPRT; and REST, ABOR. */
export const DATA_COMMANDS: CommandTable = {
  PASV: {
    async run(session) {
      if (session.epsvAll) return session.reply(503, 'Only EPSV is allowed after EPSV ALL');
      const announced = session.shared.options.passiveAddress ?? session.localAddress;
      if (!isIPv4(announced)) return session.reply(522, 'PASV needs IPv4; use EPSV');
      const channel = await passive(session);
      const [p1, p2] = [Math.floor(channel.port / 256), channel.port % 256];
      session.reply(227, `Entering Passive Mode (${announced.replaceAll('.', ',')},${p1},${p2})`);
    },
  },
  EPSV: {
    async run(session, arg) {
      const argument = arg.trim().toUpperCase();
      if (argument === 'ALL') {
        session.epsvAll = true;
        return session.reply(200, 'EPSV ALL ok');
      }
      if (argument !== '' && argument !== '1' && argument !== '2')
        return session.reply(522, 'Network protocol not supported, use (1,2)');
      const channel = await passive(session);
      session.reply(229, `Entering Extended Passive Mode (|||${channel.port}|)`);
    },
  },
  PORT: { needsArg: true, run: (session, arg) => active(session, parsePort(arg)) },
  EPRT: { needsArg: true, run: (session, arg) => active(session, parseEprt(arg.trim())) },
  REST: {
    needsArg: true,
    run(session, arg) {
      const value = arg.trim();
      if (!/^\d{1,15}$/.test(value)) return session.reply(501, 'REST needs a byte offset');
      session.rest = Number(value);
      session.reply(350, `Restarting at ${session.rest}; send RETR to resume`);
    },
  },
  ABOR: {
    run(session) {
      session.transfers.prepare(undefined);
      session.reply(225, 'No transfer to abort');
    },
  },
};

function channelOptions(session: Session): ChannelOptions {
  const { secureContext, options } = session.shared;
  return { timeoutMs: options.dataTimeoutMs, tls: session.protectData ? secureContext : undefined };
}

async function passive(session: Session): Promise<PassiveChannel> {
  session.transfers.prepare(undefined);
  const { options, registry } = session.shared;
  try {
    const channel = await PassiveChannel.listen(
      session.control.localAddress ?? '127.0.0.1',
      options.passivePorts,
      session.address,
      registry,
      channelOptions(session),
    );
    session.transfers.prepare(channel);
    return channel;
  } catch {
    throw new FtpFailure(425, 'Cannot open a passive port: none free');
  }
}

function active(session: Session, target: ActiveTarget | undefined) {
  if (!session.shared.options.activeMode) {
    return session.reply(502, 'Active mode is disabled; use PASV or EPSV');
  }
  if (session.epsvAll) return session.reply(503, 'Only EPSV is allowed after EPSV ALL');
  if (target === undefined) return session.reply(501, 'Syntax error in the address');
  if (!sameHost(target.host, session.address)) {
    return session.reply(501, 'Refused: data connections go only to the client’s own address');
  }
  if (target.port < 1024)
    return session.reply(501, 'Refused: data connections to privileged ports are not allowed');
  session.transfers.prepare(new ActiveChannel(target, session.control.localAddress, channelOptions(session)));
  session.reply(200, 'Active data connection accepted');
}
