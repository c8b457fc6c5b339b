import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { MongoClient } from 'mongodb';
import { MongoStore } from '../../src/04-flask-session/stores/mongodb-store.ts';
import { backendUrls, requireMongo } from '../support/backends.ts';
import { storeContract } from '../support/store-contract.ts';

// No MongoDB server on the machine this project is built on: these run only where MONGODB_URL is set.
const collection = `sessions_${randomBytes(6).toString('hex')}`;
let client: MongoClient | undefined;
after(async () => {
  if (!client) return;
  await client
    .db('flask_session_test')
    .collection(collection)
    .drop()
    .catch(() => {});
  await client.close();
});

storeContract({
  name: 'mongodb',
  expiry: 'store',
  cleanup: false,
  available: (t) => Boolean(requireMongo(t)),
  open: (clock) => {
    client ??= new MongoClient(backendUrls.mongodb!);
    return new MongoStore({ client, db: 'flask_session_test', collection, now: clock.now });
  },
});
