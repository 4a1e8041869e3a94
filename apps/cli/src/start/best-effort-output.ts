/**
 * Writes lines to `stream` for as long as something reads them. When the reader is gone
 * (`npm start | tee start.log`, whose tee a terminal's Ctrl-C ends together with the
 * supervisor), a write fails with EPIPE; unhandled, that stream error ended the supervisor
 * before it stopped the services and PostgreSQL, which then ran on. Lines are dropped from
 * then on: the stop matters more than its log.
 */
export function bestEffortLines(stream: NodeJS.WritableStream): (line: string) => void {
  let broken = false;
  stream.on("error", () => {
    broken = true;
  });
  return (line) => {
    if (!broken) stream.write(`${line}\n`);
  };
}
