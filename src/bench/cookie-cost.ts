import { parseArgs } from 'node:util';
import { Flask } from '../01-raw-http/app.ts';
import { SecureCookieSessionInterface } from '../02-signed-cookie/secure-cookie-interface.ts';
import { dumpHandWritten, loadHandWritten } from './hand-written.ts';
import { benchSecret } from '../tools/step-variants.ts';

// `npm run bench:cookie-cost [-- --calls 300000]`: the CPU time of reading and writing one session
// cookie, with no request around it: step 02's Flask cookie against the hand-written HMAC
// session's. Lesson 06 uses it to say where step 02's time goes.
const { values: args } = parseArgs({ options: { calls: { type: 'string', default: '300000' } } });
const calls = Number(args.calls);

const app = new Flask({ SECRET_KEY: benchSecret });
const serializer = new SecureCookieSessionInterface().getSigningSerializer(app)!;
const data = { count: 12345 };
const flaskCookie = serializer.dumps(data);
const handCookie = `session=${dumpHandWritten(data)}`;
const maxAgeSeconds = Math.trunc(app.config.PERMANENT_SESSION_LIFETIME); // as openSession passes it

const pieces: Array<[string, () => unknown]> = [
  [
    'HMAC-SHA1 of one Flask cookie (step 02 makes two per request)',
    () => serializer.signer.getSignature(flaskCookie),
  ],
  [
    'step 02 read: verify, check the age, base64, tagged JSON',
    () => serializer.loads(flaskCookie, maxAgeSeconds),
  ],
  ['step 02 write: tagged JSON, compression check, base64, timestamp, sign', () => serializer.dumps(data)],
  ['hand-written read: verify (HMAC-SHA256), base64, JSON.parse', () => loadHandWritten(handCookie)],
  ['hand-written write: JSON.stringify, base64, sign', () => dumpHandWritten(data)],
];

// µs of CPU per call, the least of three rounds: the machine can only add time, never take it away.
function microsPerCall(fn: () => unknown): number {
  for (let i = 0; i < calls / 5; i++) fn();
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < calls; i++) fn();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / calls);
  }
  return best;
}

for (const [label, fn] of pieces) console.log(`${label}: ${microsPerCall(fn).toFixed(2)} µs`);
