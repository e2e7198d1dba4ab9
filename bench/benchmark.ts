/**
 * One benchmark of `npm run bench`. `run` measures and returns a Markdown section (tables and
 * a sentence of interpretation); the runner adds the heading, machine and date.
 *
 * Contract: compare against a baseline measured in the same run (report a ratio), because these
 * machines are shared and noisy; bound every loop in count and time; send traffic only to
 * loopback; clean up every process and directory it starts.
 */
export interface Benchmark {
  /** Short id used on the command line (`npm run bench -- emulator`) and as the section key. */
  readonly name: string;
  readonly title: string;
  run(): Promise<string>;
}
