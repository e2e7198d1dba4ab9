// Runs a `telform` executable's `serve --with-emulator` as a child process on free ports, with
// stdout and stderr kept apart (the admin token must reach one and never the other).
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly apiUrl: string;
  readonly emulatorUrl: string;
  stdout(): string;
  stderr(): string;
  /** Resolves once `text` appears on stderr (generous deadline: a busy 2-core machine). */
  waitForStderr(text: string): Promise<void>;
  /** Sends `signal` and resolves with the exit code (or signal) once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

/** `command args... serve --with-emulator` with both listeners on port 0, in `dataDir`. */
export async function spawnServe(
  command: string,
  args: readonly string[],
  dataDir: string,
  env: Record<string, string> = {},
  cwd?: string,
): Promise<ServeProcess> {
  const child = spawn(
    command,
    [
      ...args,
      'serve',
      '--with-emulator',
      '--listen',
      '127.0.0.1:0',
      '--emulator-listen',
      '127.0.0.1:0',
      '--data-dir',
      dataDir,
    ],
    {
      env: { ...process.env, TELFORM_LOG_LEVEL: 'warn', ...env },
      ...(cwd ? { cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const until = (ready: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => {
        clearInterval(poll);
        reject(new Error(`${what} not seen in 90 s\nstdout:\n${out}\nstderr:\n${err}`));
      }, 90_000);
      const poll = setInterval(() => {
        if (ready()) {
          clearTimeout(deadline);
          clearInterval(poll);
          resolve();
        } else if (child.exitCode !== null) {
          clearTimeout(deadline);
          clearInterval(poll);
          reject(
            new Error(`exited ${child.exitCode} before ${what}\nstdout:\n${out}\nstderr:\n${err}`),
          );
        }
      }, 50);
    });
  await until(() => /platform: bundled emulator at \S+/.test(out), 'the API address on stdout');
  return {
    child,
    apiUrl: /telform API: (\S+)/.exec(out)![1]!,
    emulatorUrl: /bundled emulator at (\S+)/.exec(out)![1]!,
    stdout: () => out,
    stderr: () => err,
    waitForStderr: (text) => until(() => err.includes(text), `"${text}" on stderr`),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
