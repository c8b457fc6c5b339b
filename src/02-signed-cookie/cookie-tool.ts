/**
 * `npm run -s cookie -- <command>`: take Flask session cookies apart, verify them, make them,
 * and guess weak keys. Exit codes: 0 done, 1 the cookie failed (or no key matched), 2 bad usage.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isEntryPoint } from '../01-raw-http/serve.ts';
import { dissectCookie } from './cookie-anatomy.ts';
import { BadData, BadSignature, SignatureExpired } from './errors.ts';
import { loadPayload, URLSafeTimedSerializer } from './serializer.ts';
import { Signer } from './signer.ts';
import { isDict } from './dict.ts';
import { sessionJsonSerializer } from './tagged-json.ts';

const usage = `Usage: npm run -s cookie -- <command> [options]

Commands:
  decode COOKIE                 print the JSON inside a cookie, checking nothing (signed is not secret)
  verify --secret K [--fallback K]... [--max-age S] [--now UNIX] COOKIE
                                check the signature (and the age, with --max-age), then print the JSON
  sign --secret K [--timestamp UNIX] JSON
                                make the cookie Flask would make for this session (Flask's tags allowed)
  guess --wordlist FILE COOKIE  try every line of FILE as the secret key; print the one that signed it

Cookies use Flask's settings: salt "cookie-session", HMAC key derivation, SHA-1.
Exit status: 0 ok, 1 the cookie failed or no key matched, 2 bad usage.`;

/** A mistake in how the tool was called: the message and the usage, exit 2. */
class UsageError extends Error {}

/** A cookie that failed: the reason on stderr, exit 1. */
class CheckFailed extends Error {}

const flaskSigning = {
  salt: 'cookie-session',
  keyDerivation: 'hmac',
  digestMethod: 'sha1',
  serializer: sessionJsonSerializer,
} as const;

const commands: Record<string, (args: string[]) => string> = {
  decode(args) {
    const [cookie] = positionals(args, {}, 1, 'decode COOKIE').positionals;
    return dissectCookie(cookie!).json;
  },
  verify(args) {
    const {
      values,
      positionals: [cookie],
    } = positionals(
      args,
      { secret: one, fallback: many, 'max-age': one, now: one },
      1,
      'verify --secret K COOKIE',
    );
    const now = values.now === undefined ? Date.now() : seconds(values.now, '--now') * 1000;
    const keys = [...((values.fallback as string[] | undefined) ?? []), required(values.secret, '--secret')];
    const serializer = new URLSafeTimedSerializer(keys, { ...flaskSigning, now: () => now });
    const maxAge = values['max-age'] === undefined ? undefined : seconds(values['max-age'], '--max-age');
    const payload = serializer.signer.unsign(cookie!, maxAge);
    serializer.loads(cookie!, maxAge); // also proves the payload decodes
    return loadPayload(payload);
  },
  sign(args) {
    const {
      values,
      positionals: [json],
    } = positionals(args, { secret: one, timestamp: one }, 1, 'sign --secret K JSON');
    const now = values.timestamp === undefined ? Date.now() : seconds(values.timestamp, '--timestamp') * 1000;
    const session = parseSession(json!);
    return new URLSafeTimedSerializer(required(values.secret, '--secret'), {
      ...flaskSigning,
      now: () => now,
    }).dumps(session);
  },
  guess(args) {
    const {
      values,
      positionals: [cookie],
    } = positionals(args, { wordlist: one }, 1, 'guess --wordlist FILE COOKIE');
    const file = required(values.wordlist, '--wordlist');
    const found = readWords(file).find((key) => new Signer(key, flaskSigning).validate(cookie!));
    if (found === undefined) throw new CheckFailed(`no key in ${file} signed this cookie`);
    return found;
  },
};

const one = { type: 'string' } as const;
const many = { type: 'string', multiple: true } as const;

function positionals(
  args: string[],
  options: Record<string, typeof one | typeof many>,
  count: number,
  shape: string,
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (usage: ${shape})`);
  }
  if (parsed.positionals.length !== count) throw new UsageError(`expected: ${shape}`);
  return parsed as { values: Record<string, string | string[] | undefined>; positionals: string[] };
}

function required(value: string | string[] | undefined, name: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${name} is required`);
  return value;
}

function seconds(value: string | string[], name: string): number {
  const number = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(number))
    throw new UsageError(`${name} takes whole seconds, not ${JSON.stringify(value)}`);
  return number;
}

function parseSession(json: string): unknown {
  let session: unknown;
  try {
    session = sessionJsonSerializer.loads(json);
  } catch (error) {
    throw new UsageError(`the session is not valid JSON: ${(error as Error).message}`);
  }
  if (!isDict(session)) throw new UsageError('the session must be a JSON object, like {"user_id": 42}');
  return session;
}

function readWords(file: string): string[] {
  try {
    // npm runs scripts in the package folder; INIT_CWD is where the learner typed the command.
    const text = readFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), file), 'utf8');
    // A list saved by Notepad starts with a byte order mark, which would cling to the first word.
    return text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .filter((line) => line !== '');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Runs one command line; returns the exit status. The reason for a failure goes to stderr. */
export function main(
  argv: string[],
  out = (s: string) => process.stdout.write(s),
  err = (s: string) => process.stderr.write(s),
): number {
  const [name = '', ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') return (out(`${usage}\n`), 0);
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  try {
    if (!command) throw new UsageError(name ? `unknown command ${JSON.stringify(name)}` : 'no command given');
    out(`${command(args)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return (err(`error: ${error.message}\n\n${usage}\n`), 2);
    if (error instanceof CheckFailed) return (err(`${error.message}\n`), 1);
    if (error instanceof SignatureExpired) return (err(`expired: ${error.message}\n`), 1);
    if (error instanceof BadSignature) return (err(`bad signature: ${error.message}\n`), 1);
    if (error instanceof BadData) return (err(`malformed: ${error.message}\n`), 1);
    throw error;
  }
}

// Run only as the entry point, so tests can import main().
if (isEntryPoint(import.meta.url)) process.exitCode = main(process.argv.slice(2));
