/**
 * Progress of long commands: a bar with rate and ETA on a terminal
 * (cli-progress, on stderr), plain lines every few seconds otherwise.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  tick(n?: number): void;
  /** A new total (a sweep with --precision learns its total as points add replicates). */
  setTotal?(total: number): void;
  stop(): void;
}

export function progress(total: number, label: string, unit = 'runs', quiet = false): Progress {
  if (quiet || total <= 1) return { tick() {}, stop() {} };
  const start = Date.now();
  let done = 0;
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, etaBuffer: 20 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: '0.0' });
    return {
      tick(n = 1) {
        done += n;
        bar.update(done, { rate: (done / Math.max(0.001, (Date.now() - start) / 1000)).toFixed(1) });
      },
      setTotal(n: number) {
        if (n !== total) bar.setTotal((total = n));
      },
      stop() {
        bar.stop();
      },
    };
  }
  let last = 0;
  return {
    tick(n = 1) {
      done += n;
      const now = Date.now();
      if (now - last < 2000 && done < total) return;
      last = now;
      const secs = (now - start) / 1000;
      const rate = done / Math.max(0.001, secs);
      const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
      process.stderr.write(`${label}: ${done}/${total} ${unit} (${Math.round((100 * done) / total)}%), ${rate.toFixed(2)} ${unit}/s, ETA ${eta}s\n`);
    },
    setTotal(n: number) {
      total = n;
    },
    stop() {},
  };
}

/**
 * Ctrl-C (and SIGTERM) during a long command: the first asks it to finish the
 * runs in progress and keep what is done (`stop.requested`, which the command
 * polls), saying `what`; a second quits at once (exit code 130). `release()`
 * removes the handlers when the command ends.
 */
export function interruptible(what = 'runs in progress and keeping what is done'): { stop: { requested: boolean }; release(): void } {
  const stop = { requested: false };
  const onSignal = () => {
    if (stop.requested) process.exit(130);
    stop.requested = true;
    process.stderr.write(`\ninterrupted: finishing the ${what} (Ctrl-C again to quit at once)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stop,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
