/**
 * Under `npx telform …` and `npm start`, npm runs the command through `sh -c`, and a SIGTERM sent
 * to npm (as `docker stop` and most supervisors do: they signal only the process they started)
 * ends npm and that shell but never reaches telform, which would run on as an orphan. So a
 * process started by npm also stops when the process that started it is gone.
 *
 * Only under npm: a daemon started with `nohup telform serve &` is meant to outlive its shell.
 */
export interface ParentWatch {
  stop(): void;
}

/** True when npm (npm exec, npx, npm run, npm start) started this process. */
export function startedByNpm(env: NodeJS.ProcessEnv): boolean {
  return env.npm_command !== undefined || env.npm_lifecycle_event !== undefined;
}

/**
 * Calls `onGone` once when the parent process no longer exists, checking every `intervalMs`
 * by signal 0 (`process.ppid` is read once by Node, so it cannot be watched). The timer does
 * not keep the process alive.
 */
export function stopWithParent(
  onGone: () => void,
  { parentPid = process.ppid, intervalMs = 1000 } = {},
): ParentWatch {
  const timer = setInterval(() => {
    if (parentAlive(parentPid)) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

function parentAlive(pid: number): boolean {
  // Reparented to init (or a subreaper) once the parent is gone; pid 1 itself never goes away.
  if (pid <= 1) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: gone. EPERM: the pid now belongs to another user's process, so ours is gone too.
    return false;
  }
}
