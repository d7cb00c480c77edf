import type { CommandTable } from './command.js';
import { DATA_COMMANDS } from './data-setup.js';
import { FILE_COMMANDS } from './files.js';
import { LISTING_COMMANDS } from './listing.js';
import { LOGIN_COMMANDS } from './login.js';
import { NAVIGATION_COMMANDS } from './navigation.js';
import { SECURITY_COMMANDS } from './security.js';
import { SESSION_COMMANDS } from './session-commands.js';
import { TRANSFER_COMMANDS } from './transfer.js';

/** Every command the server understands, by verb. */
export const COMMANDS: CommandTable = {
  ...LOGIN_COMMANDS,
  ...SECURITY_COMMANDS,
  ...SESSION_COMMANDS,
  ...NAVIGATION_COMMANDS,
  ...DATA_COMMANDS,
  ...TRANSFER_COMMANDS,
  ...LISTING_COMMANDS,
  ...FILE_COMMANDS,
};
