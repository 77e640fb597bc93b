/**
 * `cadreflow serve [--port P] [--host H] [--threads T] [--posterior FILE | --no-posterior] [--max-cadre-years N]`:
 * the workshop page on a local web server, until interrupted. With --host 0.0.0.0 it prints the
 * machine's network addresses as URLs people in the room can type.
 */
import { inputError } from '../scenario/errors.js';
import { seedsPerParticleOption } from '../experiment/posterior.js';
import { intOption } from './options.js';
import { startServer } from '../web/server.js';

export interface ServeCliOptions {
  port?: string;
  host?: string;
  threads?: string;
  /** A file; false with --no-posterior; true (commander's default for a --no- option) when not given. */
  posterior?: string | boolean;
  seedsPerParticle?: string;
  maxCadreYears?: string;
}

export async function serveCommand(o: ServeCliOptions): Promise<void> {
  const port = intOption('--port', o.port ?? '8765', 0, 65535)!;
  const threads = intOption('--threads', o.threads, 1, 1024);
  const host = o.host ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) throw inputError('--host', host, 'a host name or address, e.g. 127.0.0.1 or 0.0.0.0');
  const posterior = typeof o.posterior === 'string' ? o.posterior : o.posterior === false ? false : undefined;
  const seedsPerParticle = seedsPerParticleOption(o.seedsPerParticle, posterior !== false);
  const maxCadreYears = intOption('--max-cadre-years', o.maxCadreYears, 1000, 1e12);
  let s;
  try {
    s = await startServer({ port, host, threads, posterior, seedsPerParticle, maxCadreYears });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw inputError('--port', port, 'a free port: this one is in use (try another --port, or 0 for any free port)');
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw inputError('--host', host, 'an address of this machine, e.g. 127.0.0.1 or 0.0.0.0');
    throw e;
  }
  const local = host === '127.0.0.1' || host === 'localhost' || host === '::1';
  // Listening on every address: the addresses people can type, not 0.0.0.0.
  const everywhere = host === '0.0.0.0' || host === '::';
  const urls = everywhere ? s.urls : [s.url];
  process.stdout.write(
    `CadreFlow workshop page: ${urls.join('  ')}\n` +
      (everywhere ? `others in the room open ${urls.length > 1 ? 'one of these addresses' : 'this address'} (the page shows it as a QR code: Join); the trainer's view is ${urls[0]}room\n` : `the trainer's view: ${urls[0]}room\n`) +
      (s.posterior ? `runs over the posterior ${s.posterior} can be chosen on the page\n` : '') +
      (local ? 'only this computer can open it (use --host 0.0.0.0 to let others in the room connect)\n' : '') +
      'press Ctrl+C to stop\n',
  );
  await new Promise<void>((resolve) => {
    const stop = () => void s.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
