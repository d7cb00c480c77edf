import { type Client, isOk, type Method, ParleyError, type Response, readListing } from '@parley/core';

/** What one operation of {@link exercise} got. */
export interface Outcome {
  /** The operation, as the table shows it (`PUT /notes/<name>`). */
  readonly operation: string;
  /** The status answered, or `unsupported` when the client refused before the network. */
  readonly status: string;
  /** Whether that is what the protocol's contract leads to expect. */
  readonly expected: boolean;
  /** Why it is not as expected, when it is not. */
  readonly problem?: string | undefined;
}

type Check = (response: Response) => Promise<string | undefined>;

const succeeds: Check = async (response) => {
  await response.body.cancel();
  return isOk(response) ? undefined : 'expected a success';
};

function hasText(text: string): Check {
  return async (response) => {
    if (!isOk(response)) return 'expected a success';
    const got = await response.body.text();
    return got === text ? undefined : `expected ${JSON.stringify(text)}, got ${JSON.stringify(got)}`;
  };
}

function lists(name: string): Check {
  return async (response) => {
    if (!isOk(response)) return 'expected a success';
    const names = (await readListing(response)).map((entry) => entry.name);
    return names.includes(name) ? undefined : `${name} is missing from the listing`;
  };
}

const isNotFound: Check = async (response) => {
  await response.body.cancel();
  return response.status === 'not_found' ? undefined : 'expected not_found';
};

/**
 * One client function, the same over every protocol: it writes, reads, lists, appends, creates
 * and deletes a note, and reports what each operation got. Operations the transport's contract
 * does not carry are refused by the client before anything touches the network (`unsupported`),
 * which is the expected outcome for them.
 */
export async function exercise(client: Client): Promise<Outcome[]> {
  const protocol = client.contract.protocol;
  const name = `demo-${protocol}.txt`;
  const path = `/notes/${name}`;
  const outcomes: Outcome[] = [];
  const step = async (label: string, method: Method, call: () => Promise<Response>, check: Check) => {
    outcomes.push(await run(client, label, method, call, check));
  };

  await step('PUT /notes/<name>', 'PUT', () => client.put(path, `hello over ${protocol}\n`), succeeds);
  await step('GET /notes/<name>', 'GET', () => client.get(path), hasText(`hello over ${protocol}\n`));
  await step('HEAD /notes/<name>', 'HEAD', () => client.head(path), succeeds);
  await step('LIST /notes/', 'LIST', () => client.list('/notes/'), lists(name));
  await step('POST /notes/<name> (append)', 'POST', () => client.post(path, 'appended\n'), succeeds);
  await step(
    'POST /notes (create)',
    'POST',
    () =>
      client.post('/notes', `posted over ${protocol}\n`, {
        headers: { subject: `demo-${protocol}-posted.txt` },
      }),
    succeeds,
  );
  await step('DELETE /notes/<name>', 'DELETE', () => client.delete(path), succeeds);
  await step('GET of the deleted note', 'GET', () => client.get(path), isNotFound);
  return outcomes;
}

async function run(
  client: Client,
  operation: string,
  method: Method,
  call: () => Promise<Response>,
  check: Check,
): Promise<Outcome> {
  try {
    const response = await call();
    const problem = await check(response);
    return { operation, status: response.status, expected: problem === undefined, problem };
  } catch (error) {
    const failure = ParleyError.from(error);
    if (failure.status === 'unsupported') {
      const carried = client.contract.methods.includes(method);
      return {
        operation,
        status: 'unsupported',
        expected: !carried,
        problem: carried ? `refused although the contract carries ${method}` : undefined,
      };
    }
    return { operation, status: failure.status, expected: false, problem: failure.message };
  }
}
