import type { createServer, ListenContext, Transport } from '@parley/core';

/** Listens `server` on a transport that does nothing but keep the context it is given. */
export async function contextOf(server: ReturnType<typeof createServer>): Promise<ListenContext> {
  let context: ListenContext | undefined;
  const transport = {
    listen: async (listen: ListenContext) => {
      context = listen;
      return { url: 'test://', stopAccepting: async () => {}, close: async () => {} };
    },
  } as unknown as Transport;
  await server.listen(transport);
  if (context === undefined) throw new Error('not listening');
  return context;
}
