/**
 * Files API benchmark: a 200 MiB upload and download through a real gateway process, with
 * the gateway's peak RSS growth and the throughput next to copying the same bytes on disk.
 *
 *   npm run bench                       (every benchmark)
 *   node --import tsx bench/files.bench.ts
 *
 * Environment: BENCH_FILE_MIB (default 200), BENCH_FILES_BACKENDS (default "disk,s3"; s3 runs
 * against s3rver, a test server in this process), DATABASE_URL (a PostgreSQL on which a
 * scratch database is created and dropped; without it an embedded one runs under a temporary
 * directory). Only 127.0.0.1 is contacted. Prints a Markdown table and JSON, and writes the
 * table, with the method, to its own section of docs/benchmarks.md (other sections stay).
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes, randomFillSync } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { chmod, mkdtemp, open, readFile, rm, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { cliActor, createApiKey, createOrganization, systemClock } from "@dsc/core";
import { createDatabaseClient } from "@dsc/db";
import { startFakeS3 } from "../test/support/fake-s3.ts";
import { writeReportSection } from "./support/report.ts";
import { scratchDatabase } from "./support/scratch-database.ts";

const MiB = 1024 * 1024;
const FILE_MIB = Number(process.env.BENCH_FILE_MIB ?? 200);
const FILE_BYTES = FILE_MIB * MiB;
const BACKENDS = (process.env.BENCH_FILES_BACKENDS ?? "disk,s3").split(",").filter(Boolean);
const PEPPER = `bench-pepper-${randomBytes(16).toString("hex")}`;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const log = (message: string) => process.stderr.write(`[files.bench] ${message}\n`);

// ---------------------------------------------------------------- the bytes

/** 17 MiB of random bytes; the file is 1 MiB windows into it at shifting offsets (bounded memory). */
const POOL = randomFillSync(Buffer.allocUnsafe(17 * MiB));
function* fileChunks(totalBytes: number): Generator<Buffer> {
  for (let index = 0, sent = 0; sent < totalBytes; index++) {
    const size = Math.min(MiB, totalBytes - sent);
    const offset = (index * 1_048_583) % (16 * MiB);
    sent += size;
    yield POOL.subarray(offset, offset + size);
  }
}
const digestOfFile = (() => {
  const hash = createHash("sha256");
  for (const chunk of fileChunks(FILE_BYTES)) hash.update(chunk);
  return hash.digest("hex");
})();

// ---------------------------------------------------------------- the gateway process

interface Gateway {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

async function startGateway(env: Record<string, string>): Promise<Gateway> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "apps/gateway/src/server.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...env, GATEWAY_HOST: "127.0.0.1", GATEWAY_PORT: "0", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`gateway did not start in 60 s\n${stderr}`)), 60_000);
    child.stdout.on("data", (chunk) => {
      buffered += String(chunk);
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(buffered);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
      buffered = buffered.slice(-4096);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}\n${stderr}`));
    });
  });
  child.stdout.resume();
  return {
    pid: child.pid as number,
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

// ---------------------------------------------------------------- memory of the gateway

/** The process's resident set (and its peak since the last reset) from /proc, in bytes. */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number | null }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status);
    return match?.[1] ? Number(match[1]) * 1024 : null;
  };
  return { rss: field("VmRSS") ?? 0, peak: field("VmHWM") };
}

/** Resets the kernel's peak-RSS counter, so VmHWM is the peak of what follows. */
async function resetPeak(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** Runs `work` while watching the gateway's memory; returns its result and the RSS growth. */
async function measured<T>(pid: number, work: () => Promise<T>) {
  const hasPeakReset = await resetPeak(pid);
  const baseline = (await memoryOf(pid)).rss;
  let sampledPeak = baseline;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      sampledPeak = Math.max(sampledPeak, (await memoryOf(pid)).rss);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const started = process.hrtime.bigint();
  const result = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  sampling = false;
  await sampler;
  const { peak } = await memoryOf(pid);
  const peakRss = hasPeakReset && peak !== null ? Math.max(peak, sampledPeak) : sampledPeak;
  return { result, seconds, baselineRss: baseline, peakRss, rssGrowth: peakRss - baseline };
}

// ---------------------------------------------------------------- the client

async function uploadThrough(gatewayUrl: string, apiKey: string, totalBytes: number): Promise<string> {
  const boundary = `bench${randomBytes(16).toString("hex")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const request = http.request(`${gatewayUrl}/v1/files`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${apiKey}`,
      "content-type": `multipart/form-data; boundary=${boundary}`,
      "content-length": String(head.length + totalBytes + tail.length),
    },
  });
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.once("response", resolve);
    request.once("error", reject);
  });
  request.write(head);
  for (const chunk of fileChunks(totalBytes)) {
    if (!request.write(chunk)) await once(request, "drain");
  }
  request.end(tail);
  const answer = await response;
  let body = "";
  for await (const chunk of answer) body += String(chunk);
  if (answer.statusCode !== 200) throw new Error(`upload answered ${answer.statusCode}: ${body}`);
  return (JSON.parse(body) as { id: string }).id;
}

async function downloadThrough(gatewayUrl: string, apiKey: string, fileId: string) {
  const answer = await new Promise<http.IncomingMessage>((resolve, reject) =>
    http
      .get(
        `${gatewayUrl}/v1/files/${fileId}/content`,
        { headers: { authorization: `Bearer ${apiKey}` } },
        resolve,
      )
      .once("error", reject),
  );
  if (answer.statusCode !== 200) throw new Error(`download answered ${answer.statusCode}`);
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of answer) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest("hex") };
}

// ---------------------------------------------------------------- the reference: disk

async function diskReference(directory: string) {
  const source = path.join(directory, "reference.bin");
  const copy = path.join(directory, "reference-copy.bin");
  const writeStarted = process.hrtime.bigint();
  const handle = await open(source, "w");
  for (const chunk of fileChunks(FILE_BYTES)) await handle.write(chunk);
  await handle.sync();
  await handle.close();
  const writeSeconds = Number(process.hrtime.bigint() - writeStarted) / 1e9;

  const copyStarted = process.hrtime.bigint();
  // flush: fsync before close, as the gateway's disk storage does
  const target = createWriteStream(copy, { flush: true });
  await pipeline(createReadStream(source, { highWaterMark: MiB }), target);
  const copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
  if ((await stat(copy)).size !== FILE_BYTES) throw new Error("reference copy has the wrong size");
  await rm(source);
  await rm(copy);
  return { writeSeconds, copySeconds };
}

// ---------------------------------------------------------------- the run

const mbps = (bytes: number, seconds: number) => bytes / MiB / seconds;
const mib = (bytes: number) => bytes / MiB;

async function main() {
  if (process.platform !== "linux") throw new Error("the files benchmark reads /proc: run it on Linux");
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "dsc-bench-files-"));
  // searchable by others: as root, an embedded PostgreSQL runs as "postgres" under this folder
  await chmod(dataDir, 0o711);
  const database = await scratchDatabase(dataDir, log);
  const db = createDatabaseClient(database.url, { maxConnections: 2 });
  const rows: Record<string, unknown>[] = [];
  try {
    const deps = { db, clock: systemClock, pepper: PEPPER };
    const org = await createOrganization(deps, { name: "Bench", tier: "pro", actor: cliActor("bench") });
    const { secret } = await createApiKey(deps, {
      organizationId: org.id,
      scopes: ["files"],
      actor: cliActor("bench"),
    });

    log(`disk reference: writing and copying ${FILE_MIB} MiB`);
    const reference = await diskReference(dataDir);

    for (const backend of BACKENDS) {
      const s3 = backend === "s3" ? await startFakeS3({ bucket: "bench" }) : null;
      const gateway = await startGateway({
        DATABASE_URL: database.url,
        DATA_DIR: dataDir,
        API_KEY_PEPPER: PEPPER,
        ...(s3
          ? {
              S3_BUCKET: s3.bucket,
              S3_ENDPOINT: s3.endpoint,
              S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
              S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
              S3_FORCE_PATH_STYLE: "true",
            }
          : {}),
      });
      try {
        log(`${backend}: gateway ${gateway.url} (pid ${gateway.pid}); warming up`);
        const warm = await uploadThrough(gateway.url, secret, 4 * MiB);
        await downloadThrough(gateway.url, secret, warm);

        log(`${backend}: uploading ${FILE_MIB} MiB`);
        const up = await measured(gateway.pid, () => uploadThrough(gateway.url, secret, FILE_BYTES));
        log(`${backend}: downloading ${FILE_MIB} MiB`);
        const down = await measured(gateway.pid, () => downloadThrough(gateway.url, secret, up.result));
        if (down.result.bytes !== FILE_BYTES || down.result.sha256 !== digestOfFile) {
          throw new Error(`${backend}: the downloaded bytes differ from the uploaded ones`);
        }
        rows.push(
          {
            backend,
            direction: "upload",
            seconds: up.seconds,
            mibPerSecond: mbps(FILE_BYTES, up.seconds),
            baselineRssMib: mib(up.baselineRss),
            rssGrowthMib: mib(up.rssGrowth),
          },
          {
            backend,
            direction: "download",
            seconds: down.seconds,
            mibPerSecond: mbps(FILE_BYTES, down.seconds),
            baselineRssMib: mib(down.baselineRss),
            rssGrowthMib: mib(down.rssGrowth),
          },
        );
      } finally {
        await gateway.stop();
        await s3?.close();
      }
    }

    const fixed = (value: unknown, digits = 1) =>
      typeof value === "number" ? value.toFixed(digits) : String(value);
    const copyRate = mbps(FILE_BYTES, reference.copySeconds);
    const cpus = os.cpus();
    const lines = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus[0]?.model ?? "cpu"} × ${cpus.length} cores, ` +
        `${Math.round(os.totalmem() / 1024 ** 3)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}; ` +
        `one file of ${FILE_MIB} MiB; PostgreSQL ${process.env.DATABASE_URL ? "of DATABASE_URL" : "embedded"}.`,
      "",
      "| backend | direction | seconds | MiB/s | × disk copy | gateway RSS before (MiB) | peak RSS growth (MiB) |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
      ...rows.map(
        (row) =>
          `| ${row.backend} | ${row.direction} | ${fixed(row.seconds, 2)} | ${fixed(row.mibPerSecond)} | ` +
          `${fixed((row.mibPerSecond as number) / copyRate, 2)} | ${fixed(row.baselineRssMib)} | ${fixed(row.rssGrowthMib)} |`,
      ),
      `| disk reference | write + fsync | ${fixed(reference.writeSeconds, 2)} | ` +
        `${fixed(mbps(FILE_BYTES, reference.writeSeconds))} | | | |`,
      `| disk reference | stream copy + fsync | ${fixed(reference.copySeconds, 2)} | ${fixed(copyRate)} | 1.00 | | |`,
    ];
    process.stdout.write(
      `${lines.join("\n")}\n\n${JSON.stringify({ fileMib: FILE_MIB, rows, reference })}\n`,
    );
    await writeSection(lines.join("\n"));
  } finally {
    await db.$disconnect();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const METHOD = `Method: \`npm run bench -- files\` (rerun it to refresh this section). The gateway runs as its
own process (\`apps/gateway/src/server.ts\` under tsx, as deployed, \`LOG_LEVEL=info\`) on a
scratch database; this process uploads one file of \`BENCH_FILE_MIB\` (200) MiB with node:http
as a hand-framed \`multipart/form-data\` body (\`purpose=batch\`), generating the bytes as it
sends them from a 17 MiB random pool (bounded memory), then downloads it and checks its
SHA-256. The gateway counts, hashes and size-checks the bytes as they stream, and on disk
writes them under \`.partial/\`, fsyncs and renames; on S3 it sends 8 MiB parts, two in flight.
*RSS growth* is the gateway's peak resident set during the transfer (the kernel's VmHWM after
resetting it through \`/proc/PID/clear_refs\`, and 20 ms samples of VmRSS) minus its resident
set just before, after a 4 MiB warm-up transfer; the aim is under 64 MiB. The disk reference
writes the same bytes to a file with fsync, then copies that file with streams and fsync.
The "s3" rows run against s3rver, a test server that lives in the benchmark's own process and
writes to the same disk: they show the S3 path's memory, not S3's throughput. Client, gateway
and storage share one machine, so throughput varies from run to run with the disk and the
page cache; compare rows of the same run.`;

/** Replaces this benchmark's section of docs/benchmarks.md (other sections stay as they are). */
async function writeSection(figures: string) {
  await writeReportSection("files", "Files API (`bench/files.bench.ts`)", [METHOD, "", figures]);
}

await main();
